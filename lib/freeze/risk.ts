// Seed 002 §5 as risk classes. Reading is safe; anything that re-runs, resumes or widens work
// needs care; changing what runs in production is destructive.
export const RISK_CLASSES = ["safe", "careful", "destructive"] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

const CAREFUL = [/\/v1\/dlq\/[^/\s]+\/replay/i, /\breplay\b/i, /\/resume\b/i, /\bresume\b/i, /concurrency|worker_limit|tenant_limit/i];
const DEPLOYS = [/deploy\.sh/i, /rollback\.sh/i, /\bdeploy\b/i, /\brollback\b/i];

/** The risk class of a step's source (or a proxied request line) against an environment. */
export function classifyStep(source: string, production: boolean): RiskClass {
  if (DEPLOYS.some((r) => r.test(source))) return production ? "destructive" : "careful";
  if (CAREFUL.some((r) => r.test(source))) return "careful";
  return "safe";
}

/** Proxied actions the console itself offers. */
export const PROXIED_ACTIONS = {
  "dlq.replay": "careful",
  "jobs.list": "safe",
  "jobs.inspect": "safe",
  "audit.read": "safe",
  "metrics.read": "safe",
} as const satisfies Record<string, RiskClass>;
