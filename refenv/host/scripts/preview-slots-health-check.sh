#!/usr/bin/env bash
# Per preview slot: lease state from the control API, web preview /health and /api/health
# (slot-local API wiring), and the slot backend's /health. One line per slot, then a summary.
# Exits 1 when a surface of any slot is unhealthy or the control API cannot be read.
source "$(dirname "$0")/lib/common.sh"

slots_body=$(curl -fsS --max-time "$HTTP_TIMEOUT" "$CONTROL_API_URL/api/slots" 2>/dev/null) || {
  printf 'control_api=fail url=%s/api/slots\n' "$CONTROL_API_URL"
  printf 'result=fail reason=control_api_unreachable\n'
  exit 1
}

ok() { [ "$1" -ge 200 ] 2>/dev/null && [ "$1" -lt 300 ]; }
failed=0
for slot in preview-1 preview-2 preview-3; do
  slot_obj=$(slot_json "$slots_body" "$slot")
  lease=$(json_field "$slot_obj" state)
  run_id=$(json_field "$slot_obj" run_id)
  web=$(web_preview_url "$slot")
  backend=$(slot_backend_url "$slot")
  read -r web_code _ < <(http_probe "$web/health")
  read -r api_code _ < <(http_probe "$web/api/health")
  read -r backend_code _ < <(http_probe "$backend/health")
  status=ok
  for code in "$web_code" "$api_code" "$backend_code"; do ok "$code" || status=fail; done
  [ "$status" = ok ] || failed=$((failed + 1))
  printf 'slot=%s status=%s lease=%s run_id=%s web=%s api=%s backend=%s\n' \
    "$slot" "$status" "${lease:-unknown}" "${run_id:--}" "$web_code" "$api_code" "$backend_code"
done

leased=$( (printf '%s' "$slots_body" | grep -o '"state":"leased"' || true) | wc -l | tr -d ' ')
if [ "$failed" -eq 0 ]; then
  printf 'result=ok slots=3 leased=%s failed=0\n' "$leased"
else
  printf 'result=fail slots=3 leased=%s failed=%s\n' "$leased" "$failed"
  exit 1
fi
