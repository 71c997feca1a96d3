#!/usr/bin/env bash
# deploy.sh <commit> — activates DEPLOY_ROOT/releases/<commit> through the `current` symlink.
# Flags (env): DEPLOY_SKIP_SERVICE_RESTART=1, DEPLOY_SKIP_HEALTHCHECK=1, DEPLOY_SKIP_REGISTRY_UPDATE=1,
# DEPLOY_HEALTHCHECK_CMD (default: ./scripts/runtime-health-check.sh). A failing health check
# puts the previous release back and exits non-zero.
source "$(dirname "$0")/lib/common.sh"

[ $# -eq 1 ] || die 2 "usage: deploy.sh <commit>"
commit=$1
valid_release_id "$commit" || die 2 "invalid commit '$commit' (letters, digits, '.', '_', '-', at most 64)"

release_dir="$DEPLOY_ROOT/releases/$commit"
mkdir -p "$DEPLOY_ROOT/releases"
if [ ! -d "$release_dir" ]; then
  mkdir -p "$release_dir"
  printf 'commit_sha=%s\n' "$commit" >"$release_dir/.deploy-meta"
  printf 'release=%s prepared=yes dir=%s\n' "$commit" "$release_dir"
elif [ ! -f "$release_dir/.deploy-meta" ]; then
  printf 'commit_sha=%s\n' "$commit" >"$release_dir/.deploy-meta"
fi

previous=$(current_release)
printf 'deploy=starting release=%s previous=%s deploy_root=%s\n' "$commit" "${previous:--}" "$DEPLOY_ROOT"
switch_current "$commit"
printf 'deployed_at=%s\n' "$(now_iso)" >>"$release_dir/.deploy-meta"
printf 'current=%s\n' "$commit"

if [ "${DEPLOY_SKIP_SERVICE_RESTART:-0}" = 1 ]; then
  printf 'services=skipped\n'
else
  restart_services "$commit"
fi

if [ "${DEPLOY_SKIP_HEALTHCHECK:-0}" = 1 ]; then
  printf 'healthcheck=skipped\n'
elif ! run_healthcheck "${DEPLOY_HEALTHCHECK_CMD:-./scripts/runtime-health-check.sh}"; then
  if [ -n "$previous" ] && [ -d "$DEPLOY_ROOT/releases/$previous" ]; then
    switch_current "$previous"
    [ "${DEPLOY_SKIP_SERVICE_RESTART:-0}" = 1 ] || restart_services "$previous"
    [ "${DEPLOY_SKIP_REGISTRY_UPDATE:-0}" = 1 ] || registry_append "$commit" deploy failed_restored "$previous"
    printf 'deploy=failed release=%s restored=%s current=%s\n' "$commit" "$previous" "$(current_release)"
    log "deploy: health check failed for release $commit; restored previous release $previous"
  else
    rm -f "$DEPLOY_ROOT/current"
    [ "${DEPLOY_SKIP_REGISTRY_UPDATE:-0}" = 1 ] || registry_append "$commit" deploy failed -
    printf 'deploy=failed release=%s restored=none current=none\n' "$commit"
    log "deploy: health check failed for release $commit and there is no previous release to restore"
  fi
  exit 1
fi

if [ "${DEPLOY_SKIP_REGISTRY_UPDATE:-0}" = 1 ]; then
  printf 'registry=skipped\n'
else
  registry_append "$commit" deploy ok "$previous"
  printf 'registry=updated file=%s\n' "$REGISTRY_FILE"
fi
printf 'deploy=ok release=%s previous=%s\n' "$commit" "${previous:--}"
