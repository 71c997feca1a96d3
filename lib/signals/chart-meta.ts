// How each stored signal reads on a chart: a name people know and its unit.
export const SIGNAL_META: Record<string, { title: string; unit: string }> = {
  oris_runtime_queue_depth: { title: "Queue depth", unit: "jobs" },
  oris_runtime_lease_conflict_rate: { title: "Lease conflict rate", unit: "ratio" },
  oris_runtime_recovery_latency_ms: { title: "Recovery latency", unit: "ms" },
  oris_runtime_backpressure_total: { title: "Backpressure (dispatch rounds held back, total)", unit: "rounds" },
  oris_runtime_terminal_error_rate: { title: "Terminal error rate", unit: "ratio" },
  oris_runtime_http_5xx_total: { title: "5xx answers (total)", unit: "responses" },
  oris_runtime_jobs_completed_total: { title: "Jobs completed (total)", unit: "jobs" },
  oris_runtime_active_leases: { title: "Active leases", unit: "leases" },
};

export const signalMeta = (metric: string) => SIGNAL_META[metric] ?? { title: metric, unit: "" };
