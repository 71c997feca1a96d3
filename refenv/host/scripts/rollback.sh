#!/usr/bin/env bash
# rollback.sh <release_id> — points `current` back at an existing release.
# Flags (env): ROLLBACK_SKIP_SERVICE_RESTART=1, ROLLBACK_SKIP_HEALTHCHECK=1, ROLLBACK_SKIP_REGISTRY_UPDATE=1,
# ROLLBACK_HEALTHCHECK_CMD (default: ./scripts/runtime-health-check.sh).
source "$(dirname "$0")/lib/common.sh"

[ $# -eq 1 ] || die 2 "usage: rollback.sh <release_id>"
release=$1
valid_release_id "$release" || die 2 "invalid release id '$release'"

if [ ! -d "$DEPLOY_ROOT/releases/$release" ]; then
  available=$(available_releases)
  die 3 "rollback target release '$release' not found in $DEPLOY_ROOT/releases (available: ${available:-none}); nothing changed"
fi

previous=$(current_release)
printf 'rollback=starting release=%s previous=%s deploy_root=%s\n' "$release" "${previous:--}" "$DEPLOY_ROOT"
switch_current "$release"
printf 'current=%s\n' "$release"

if [ "${ROLLBACK_SKIP_SERVICE_RESTART:-0}" = 1 ]; then
  printf 'services=skipped\n'
else
  restart_services "$release"
fi

if [ "${ROLLBACK_SKIP_HEALTHCHECK:-0}" = 1 ]; then
  printf 'healthcheck=skipped\n'
elif ! run_healthcheck "${ROLLBACK_HEALTHCHECK_CMD:-./scripts/runtime-health-check.sh}"; then
  if [ -n "$previous" ]; then switch_current "$previous"; fi
  [ "${ROLLBACK_SKIP_REGISTRY_UPDATE:-0}" = 1 ] || registry_append "$release" rollback failed_restored "$previous"
  printf 'rollback=failed release=%s restored=%s\n' "$release" "${previous:--}"
  log "rollback: health check failed on release $release; restored ${previous:-nothing}"
  exit 1
fi

if [ "${ROLLBACK_SKIP_REGISTRY_UPDATE:-0}" = 1 ]; then
  printf 'registry=skipped\n'
else
  registry_append "$release" rollback ok "$previous"
  printf 'registry=updated file=%s\n' "$REGISTRY_FILE"
fi
printf 'rollback=ok release=%s previous=%s\n' "$release" "${previous:--}"
