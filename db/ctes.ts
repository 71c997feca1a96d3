import { type SQL, sql } from "drizzle-orm";
import type { Db } from "./client";

/** A common table expression a statement carries: its name and body. */
export type Cte = [name: string, body: SQL];

/** `a as (…), b as (…)`: the list after WITH, for statements written with `sql`. */
export function withCtes(ctes: Cte[]): SQL {
  return sql.join(
    ctes.map(([name, body]) => sql`${sql.identifier(name)} as (${body})`),
    sql`, `,
  );
}

/** The same list for a query builder's `.with(…)`. */
export function builderCtes(db: Db, ctes: Cte[]) {
  return ctes.map(([name, body]) => db.$with(name, {}).as(body));
}
