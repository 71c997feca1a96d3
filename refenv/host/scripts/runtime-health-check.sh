#!/usr/bin/env bash
# Checks every surface of the startup matrix over HTTP and prints one line per check:
#   check=<surface> status=ok|fail http=<code> ms=<latency> url=<url>
# and a summary line. Exits 1 when any check fails.
source "$(dirname "$0")/lib/common.sh"

checks=(
  "control-api|$CONTROL_API_URL/health|"
  "runtime-api|$RUNTIME_API_URL/healthz|"
  "worker|$WORKER_URL/health|"
  "web-main|$WEB_MAIN_URL/health|"
  "web-preview-1|$WEB_PREVIEW_1_URL/health|"
  "web-preview-2|$WEB_PREVIEW_2_URL/health|"
  "web-preview-3|$WEB_PREVIEW_3_URL/health|"
  "slot-backend-preview-1|$SLOT_BACKEND_1_URL/health|"
  "slot-backend-preview-2|$SLOT_BACKEND_2_URL/health|"
  "slot-backend-preview-3|$SLOT_BACKEND_3_URL/health|"
  "caddy|$CADDY_URL/health|app.example.com"
)

failed=0
for entry in "${checks[@]}"; do
  IFS='|' read -r name url host_header <<<"$entry"
  read -r code ms < <(http_probe "$url" "$host_header")
  if [ "$code" -ge 200 ] 2>/dev/null && [ "$code" -lt 300 ]; then
    status=ok
  else
    status=fail
    failed=$((failed + 1))
  fi
  printf 'check=%s status=%s http=%s ms=%s url=%s\n' "$name" "$status" "$code" "$ms" "$url"
done

if [ "$failed" -eq 0 ]; then
  printf 'result=ok checked=%d failed=0\n' "${#checks[@]}"
else
  printf 'result=fail checked=%d failed=%d\n' "${#checks[@]}" "$failed"
  exit 1
fi
