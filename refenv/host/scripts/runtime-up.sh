#!/usr/bin/env bash
# runtime-up.sh — host-native stand-in for starting the runtime's units. Requires the units
# installed by systemd-install-runtime.sh, marks them active in the sandbox and waits until
# each unit's surface answers its health check. Exits 1 when a surface stays down.
source "$(dirname "$0")/lib/common.sh"

[ $# -eq 0 ] || die 2 "usage: runtime-up.sh (no arguments)"
dest="$STATE_ROOT/systemd"
[ -f "$dest/installed_at" ] || die 1 "units are not installed in $dest; run ./scripts/systemd-install-runtime.sh first"

units=(
  "ouroboros-api.service|$CONTROL_API_URL/health|"
  "ouroboros-worker.service|$WORKER_URL/health|"
  "ouroboros-web@main.service|$WEB_MAIN_URL/health|"
  "ouroboros-web@preview1.service|$WEB_PREVIEW_1_URL/health|"
  "ouroboros-web@preview2.service|$WEB_PREVIEW_2_URL/health|"
  "ouroboros-web@preview3.service|$WEB_PREVIEW_3_URL/health|"
  "ouroboros-caddy.service|$CADDY_URL/health|app.example.com"
)
attempts=${RUNTIME_UP_ATTEMPTS:-5}
failed=0
: >"$dest/active"
for entry in "${units[@]}"; do
  IFS='|' read -r unit url host_header <<<"$entry"
  code=000
  for _ in $(seq 1 "$attempts"); do
    read -r code _ < <(http_probe "$url" "$host_header")
    [ "$code" = 200 ] && break
    sleep 1
  done
  if [ "$code" = 200 ]; then
    printf '%s\n' "$unit" >>"$dest/active"
    printf 'unit=%s state=active http=%s\n' "$unit" "$code"
  else
    printf 'unit=%s state=failed http=%s url=%s\n' "$unit" "$code" "$url"
    failed=$((failed + 1))
  fi
done
if [ "$failed" -gt 0 ]; then
  printf 'result=fail failed=%d\n' "$failed"
  exit 1
fi
printf 'result=ok active=%d\n' "${#units[@]}"
