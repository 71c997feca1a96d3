#!/usr/bin/env bash
# preview-db-reset-and-seed.sh --slot preview-N --run-id ID --strategy seed --seed-version v1
# Resets the slot's preview database (sandboxed under $SITREP_REFENV_STATE/preview-db) and loads
# the seed data. The slot must be leased to that run in the control API.
source "$(dirname "$0")/lib/common.sh"

opt_slot="" opt_run_id="" opt_strategy="" opt_seed_version=""
parse_opts "$@"
valid_slot "$opt_slot" || die 2 "invalid slot id '${opt_slot}': expected preview-1, preview-2 or preview-3"
valid_uuid "$opt_run_id" || die 2 "--run-id must be a run uuid, got '${opt_run_id}'"
[ "$opt_strategy" = seed ] || die 2 "--strategy must be seed (snapshots are restored by preview-slot-allocate.sh)"
version=${opt_seed_version:-v1}
seed_file="$HOST_DIR/db-seeds/$version.sql"
[[ "$version" =~ ^[A-Za-z0-9._-]{1,32}$ ]] && [ -f "$seed_file" ] || die 4 "seed version '$version' not found"

db_url=$(slot_database_url "$opt_slot")
check_preview_target "$opt_slot" "$db_url" || exit 3

slots=$(curl -fsS --max-time "$HTTP_TIMEOUT" "$CONTROL_API_URL/api/slots") || die 5 "control API unreachable at $CONTROL_API_URL"
holder=$(json_field "$(slot_json "$slots" "$opt_slot")" run_id)
[ "$holder" = "$opt_run_id" ] || die 6 "slot $opt_slot is held by '${holder:-nobody}', not by run $opt_run_id; refusing to reset its database"

n=$(slot_number "$opt_slot")
db_dir="$PREVIEW_DB_ROOT/app_preview_$n"
rm -rf "$db_dir"
mkdir -p "$db_dir"
cp "$seed_file" "$db_dir/data.sql"
printf 'run_id=%s\nstrategy=seed\nversion=%s\nloaded_at=%s\n' "$opt_run_id" "$version" "$(now_iso)" >"$db_dir/meta"
rows=$(grep -c '^INSERT' "$seed_file" || true)
printf 'slot_id=%s database=app_preview_%s strategy=seed version=%s rows=%s status=ready\n' "$opt_slot" "$n" "$version" "$rows"
