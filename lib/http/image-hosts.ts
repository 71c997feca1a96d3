import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { settings } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import { ConflictError } from "@/lib/errors";
import { publish, subscribe } from "@/lib/live";
import { log } from "@/lib/log";
import { parseInput } from "@/lib/validation";
import { setImageHostsForPolicy } from "./security-headers.mjs";

// Hosts an admin allows images from (markdown in runbooks and notes). Everything else is refused
// by the browser: the pages' Content-Security-Policy lists only the console and these hosts. The
// proxy builds that header on every request, so each instance keeps the list in memory, loaded at
// start and refreshed by a notification whenever an admin changes it.

export const IMAGE_HOSTS_KEY = "security.image_hosts";
export const SECURITY_SETTINGS_CHANNEL = "security_settings";

// A CSP host source: scheme, host (optionally *.-prefixed), optional port. Nothing that could
// widen the policy ('unsafe-inline', *, data:) or end the directive (;, spaces).
const hostSource = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/, "Each line is one origin such as https://images.example.com or https://*.example.com.");

export const imageHostsSchema = z.object({
  hosts: z.preprocess((v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : v), z.array(hostSource).max(50, "At most 50 hosts.")),
  version: z.coerce.number().int().min(0),
});

export type ImageHosts = { hosts: string[]; version: number };

export async function getImageHosts(db: Db): Promise<ImageHosts> {
  const [row] = await db.select().from(settings).where(eq(settings.key, IMAGE_HOSTS_KEY));
  if (!row) return { hosts: [], version: 0 };
  return { hosts: z.array(z.string()).catch([]).parse(JSON.parse(row.value)), version: row.version };
}

export async function setImageHosts(ctx: Ctx, input: unknown): Promise<ImageHosts> {
  requirePermission(ctx.actor, "settings.manage");
  const { hosts, version } = parseInput(imageHostsSchema, input);
  const unique = [...new Set(hosts)];
  return ctx.db.transaction(async (tx) => {
    const current = await getImageHosts(tx);
    const value = JSON.stringify(unique);
    const by = ctx.actor.userId === "system" ? null : ctx.actor.userId;
    const [row] =
      version === 0
        ? await tx.insert(settings).values({ key: IMAGE_HOSTS_KEY, value, updatedBy: by }).onConflictDoNothing().returning()
        : await tx
            .update(settings)
            .set({ value, version: version + 1, updatedAt: new Date(), updatedBy: by })
            .where(and(eq(settings.key, IMAGE_HOSTS_KEY), eq(settings.version, version)))
            .returning();
    if (!row) throw new ConflictError("Someone changed the allowed image hosts meanwhile; reload and try again.", current);
    await writeAudit(tx, { actor: ctx.actor, action: "settings.image_hosts.update", targetType: "setting", targetId: IMAGE_HOSTS_KEY, before: { hosts: current.hosts }, after: { hosts: unique } });
    await publish(tx, SECURITY_SETTINGS_CHANNEL, { type: "image_hosts.updated" });
    return { hosts: unique, version: row.version };
  });
}

/** Start hook: the proxy's copy of the list, loaded now and after every change on any instance. */
export async function startImageHosts(getDb: () => Promise<Db>): Promise<void> {
  const load = async () => {
    try {
      setImageHostsForPolicy((await getImageHosts(await getDb())).hosts);
    } catch (error) {
      log.warn("settings.image_hosts_load_failed", { error: String(error) });
    }
  };
  await subscribe(SECURITY_SETTINGS_CHANNEL, () => void load());
  await load();
}
