import "server-only";
import type { Db } from "@/db/client";
import type { Actor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";

/** A refused attempt is itself worth recording: who tried what, where. */
export async function recordDenied(db: Db, actor: Actor | null, permission: string, where: string) {
  await db.transaction((tx) =>
    writeAudit(tx, {
      actor,
      action: "permission.denied",
      targetType: "permission",
      targetId: permission,
      after: { where, role: actor?.role ?? null },
    }),
  );
}
