import "server-only";
import type { LabelMatcher } from "@/db/schema";
import { outboundUrl } from "@/lib/environments/outbound";

// Alertmanager's API v2, for silences made in Sitrep that should also hold in Alertmanager.
// The URL is the source's configured Alertmanager URL plus a fixed path, built by the one
// outbound function, which refuses anything that would leave that origin.

const endpoint = (base: string, path: string) => outboundUrl(null, { kind: "webhook", url: base }, path).toString();

async function call(base: string, path: string, init: RequestInit): Promise<Response> {
  const response = await fetch(endpoint(base, path), { ...init, redirect: "error", signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`Alertmanager answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return response;
}

/** POST /api/v2/silences; returns Alertmanager's silence id. */
export async function createAlertmanagerSilence(base: string, silence: { matchers: LabelMatcher[]; startsAt: Date; endsAt: Date; createdBy: string; comment: string }): Promise<string> {
  const body = {
    matchers: silence.matchers.map((m) => ({ name: m.label, value: m.value, isRegex: m.op === "=~" || m.op === "!~", isEqual: m.op === "=" || m.op === "=~" })),
    startsAt: silence.startsAt.toISOString(),
    endsAt: silence.endsAt.toISOString(),
    createdBy: silence.createdBy,
    comment: silence.comment,
  };
  const response = await call(base, "/api/v2/silences", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await response.json()) as { silenceID?: string };
  if (!json.silenceID) throw new Error("Alertmanager did not return a silence id");
  return json.silenceID;
}

/** DELETE /api/v2/silence/{id}. */
export async function expireAlertmanagerSilence(base: string, id: string): Promise<void> {
  await call(base, `/api/v2/silence/${encodeURIComponent(id)}`, { method: "DELETE" });
}
