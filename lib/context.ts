import type { Db } from "@/db/client";
import type { Actor } from "@/lib/actor";

/** What every lib/ write receives: who acts, and the database to act on. */
export type Ctx = { actor: Actor; db: Db };
