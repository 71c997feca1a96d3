#!/usr/bin/env bash
# systemd-install-runtime.sh — host-native stand-in for installing the runtime's units.
# Validates the unit templates and env files in infra/systemd and installs them into the sandbox
# ($SITREP_REFENV_STATE/systemd); the real /etc/systemd is never touched.
source "$(dirname "$0")/lib/common.sh"

[ $# -eq 0 ] || die 2 "usage: systemd-install-runtime.sh (no arguments)"
src="$HOST_DIR/infra/systemd"
dest="$STATE_ROOT/systemd"
mkdir -p "$dest/units" "$dest/env"

failed=0
for unit in ouroboros-api.service ouroboros-worker.service ouroboros-web@.service ouroboros-caddy.service; do
  if [ ! -f "$src/$unit" ]; then
    printf 'unit=%s status=missing\n' "$unit"
    failed=$((failed + 1))
    continue
  fi
  for section in '[Unit]' '[Service]' '[Install]'; do
    grep -qF "$section" "$src/$unit" || { printf 'unit=%s status=invalid missing_section=%s\n' "$unit" "$section"; failed=$((failed + 1)); continue 2; }
  done
  cp "$src/$unit" "$dest/units/$unit"
  printf 'unit=%s status=installed path=%s\n' "$unit" "$dest/units/$unit"
done
for env_file in "$src"/env/*.env; do
  cp "$env_file" "$dest/env/"
  printf 'env=%s status=installed\n' "$(basename "$env_file")"
done

if [ "$failed" -gt 0 ]; then
  printf 'result=fail failed=%d\n' "$failed"
  exit 1
fi
printf '%s\n' "$(now_iso)" >"$dest/installed_at"
printf 'result=ok target=%s\n' "$dest"
