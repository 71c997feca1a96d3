import type { Environment } from "@/db/schema";
import { ValidationError } from "@/lib/errors";

/**
 * Every action against a production environment needs `confirmProduction: true`, checked on the
 * server whatever the page showed.
 */
export function requireProductionConfirmation(environment: Pick<Environment, "name" | "production">, confirmProduction: boolean | undefined) {
  if (environment.production && confirmProduction !== true) {
    throw new ValidationError(`"${environment.name}" is a production environment: confirm that you mean to act on production.`, {
      confirmProduction: ["Confirm to act on production."],
    });
  }
}
