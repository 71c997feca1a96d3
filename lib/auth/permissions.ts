import type { Role } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { ForbiddenError } from "@/lib/errors";

// The one permission table. Every server action and route handler checks it on the server;
// the UI reads it only to decide what to show.
const table = {
  "console.read": ["admin", "commander", "responder", "viewer"],
  "users.manage": ["admin"],
  "audit.read": ["admin"],
  "settings.manage": ["admin"],
  "runbooks.read": ["admin", "commander", "responder", "viewer"],
  "runbooks.edit": ["admin", "commander"],
  "runbooks.archive": ["admin", "commander"],
  "runbooks.sync": ["admin"],
  "environments.read": ["admin", "commander", "responder", "viewer"],
  "environments.manage": ["admin"],
  "faults.manage": ["admin"],
  "steps.run": ["admin", "commander", "responder"],
  "incidents.read": ["admin", "commander", "responder", "viewer"],
  "incidents.declare": ["admin", "commander", "responder"],
  "incidents.manage": ["admin", "commander"],
  "incidents.note": ["admin", "commander", "responder"],
  "incidents.checklist": ["admin", "commander", "responder"],
  "incidents.close_override": ["admin"],
  "incidents.configure": ["admin"],
  "reviews.read": ["admin", "commander", "responder", "viewer"],
  "reviews.read_drafts": ["admin", "commander", "responder"],
  "reviews.annotate": ["admin", "commander", "responder"],
  "reviews.edit": ["admin", "commander"],
  "reviews.approve": ["admin", "commander"],
  "status.read": ["admin", "commander", "responder", "viewer"],
  "status.publish": ["admin", "commander", "responder"],
  "status.components": ["admin", "commander"],
  "status.manage": ["admin"],
  "drills.read": ["admin", "commander", "responder", "viewer"],
  "drills.run": ["admin", "commander", "responder"],
  "drills.signoff": ["admin", "commander"],
  "drills.configure": ["admin"],
  "notifications.read": ["admin", "commander", "responder", "viewer"],
  "triage.read": ["admin", "commander", "responder", "viewer"],
  "triggers.configure": ["admin"],
  "evidence.capture": ["admin", "commander", "responder"],
  "freeze.manage": ["admin", "commander"],
  "actions.careful": ["admin", "commander", "responder"],
  "recovery.run": ["admin", "commander", "responder"],
  "recovery.override": ["admin", "commander"],
  "alerts.read": ["admin", "commander", "responder", "viewer"],
  "alerts.act": ["admin", "commander", "responder"],
  "alerts.configure": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof table;

export const permissions = Object.keys(table) as Permission[];

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return !!role && (table[permission] as readonly Role[]).includes(role);
}

export function rolesWith(permission: Permission): readonly Role[] {
  return table[permission];
}

export function requirePermission(actor: Actor | null | undefined, permission: Permission): asserts actor is Actor {
  if (!actor || !can(actor.role, permission)) {
    throw new ForbiddenError(`Your role (${actor?.role ?? "none"}) may not do this (${permission}).`, permission);
  }
}
