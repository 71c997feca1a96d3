#!/usr/bin/env bash
# preview-slot-allocate.sh --run-id ID --strategy seed|snapshot [--seed-version v1 | --snapshot-version V]
# Acquires a preview slot for the run from the control API and prepares its database
# (seeded from db-seeds/<version>.sql or restored from snapshots/<version>.sql).
source "$(dirname "$0")/lib/common.sh"

opt_run_id="" opt_strategy="" opt_seed_version="" opt_snapshot_version=""
parse_opts "$@"
valid_uuid "$opt_run_id" || die 2 "--run-id must be a run uuid, got '${opt_run_id}'"
case "$opt_strategy" in
  seed)
    version=${opt_seed_version:-v1}
    source_file="$HOST_DIR/db-seeds/$version.sql"
    [[ "$version" =~ ^[A-Za-z0-9._-]{1,32}$ ]] && [ -f "$source_file" ] ||
      die 4 "seed version '$version' not found (available: $(ls "$HOST_DIR/db-seeds" | sed 's/\.sql$//' | paste -sd ' ' -))"
    ;;
  snapshot)
    version=$opt_snapshot_version
    [ -n "$version" ] || die 2 "--strategy snapshot needs --snapshot-version"
    source_file="$HOST_DIR/snapshots/$version.sql"
    [[ "$version" =~ ^[A-Za-z0-9._-]{1,64}$ ]] && [ -f "$source_file" ] ||
      die 4 "snapshot version '$version' not found (available: $(ls "$HOST_DIR/snapshots" | sed 's/\.sql$//' | paste -sd ' ' -)); no slot was allocated"
    ;;
  *) die 2 "--strategy must be seed or snapshot" ;;
esac

response=$(curl -sS --max-time "$HTTP_TIMEOUT" -X POST "$CONTROL_API_URL/api/slots/acquire" \
  -H 'Content-Type: application/json' -d "{\"run_id\":\"$opt_run_id\"}" -w '\n%{http_code}') ||
  die 5 "control API unreachable at $CONTROL_API_URL"
code=${response##*$'\n'}
body=${response%$'\n'*}
if [ "$code" = 202 ]; then
  printf 'run_id=%s status=waiting queue_reason=%s\n' "$opt_run_id" "$(json_field "$body" queue_reason)"
  exit 75
fi
[ "$code" = 200 ] || die 5 "slot acquire failed with http $code: $body"
slot=$(json_field "$body" slot_id)
printf 'run_id=%s slot_id=%s lease_expires_at=%s\n' "$opt_run_id" "$slot" "$(json_field "$body" lease_expires_at)"

if [ "$opt_strategy" = seed ]; then
  "$SCRIPTS_DIR/preview-db-reset-and-seed.sh" --slot "$slot" --run-id "$opt_run_id" --strategy seed --seed-version "$version"
else
  db_dir="$PREVIEW_DB_ROOT/app_preview_$(slot_number "$slot")"
  rm -rf "$db_dir"
  mkdir -p "$db_dir"
  cp "$source_file" "$db_dir/data.sql"
  printf 'run_id=%s\nstrategy=snapshot\nversion=%s\nloaded_at=%s\n' "$opt_run_id" "$version" "$(now_iso)" >"$db_dir/meta"
  printf 'slot_id=%s database=app_preview_%s strategy=snapshot version=%s status=ready\n' "$slot" "$(slot_number "$slot")" "$version"
fi
