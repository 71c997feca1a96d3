#!/usr/bin/env bash
# preview-slot-migrate.sh --slot preview-N [--dry-run]
# Applies migrations/*.sql to the slot's preview database in order, skipping applied ones.
# Refuses targets that are not the slot's local preview database (PREVIEW_BACKEND_DATABASE_URL_TEMPLATE).
source "$(dirname "$0")/lib/common.sh"

opt_slot="" opt_dry_run=0
parse_opts "$@"
valid_slot "$opt_slot" || die 2 "invalid slot id '${opt_slot}': expected preview-1, preview-2 or preview-3"
db_url=$(slot_database_url "$opt_slot")
printf 'slot=%s target=%s\n' "$opt_slot" "$db_url"
if ! check_preview_target "$opt_slot" "$db_url"; then
  printf 'result=refused reason=unsafe_db_target\n'
  exit 3
fi

db_dir="$PREVIEW_DB_ROOT/app_preview_$(slot_number "$opt_slot")"
applied_file="$db_dir/migrations.applied"
pending=()
for file in "$HOST_DIR"/migrations/*.sql; do
  name=$(basename "$file")
  if [ -f "$applied_file" ] && grep -qx "$name" "$applied_file"; then continue; fi
  pending+=("$name")
done

if [ "$opt_dry_run" = 1 ]; then
  for name in "${pending[@]}"; do printf 'pending=%s\n' "$name"; done
  printf 'result=ok mode=dry-run pending=%d\n' "${#pending[@]}"
  exit 0
fi

mkdir -p "$db_dir"
for name in "${pending[@]}"; do
  printf '%s\n' "$name" >>"$applied_file"
  printf 'applied=%s\n' "$name"
done
printf 'result=ok mode=apply applied=%d\n' "${#pending[@]}"
