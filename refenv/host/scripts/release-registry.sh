#!/usr/bin/env bash
# release-registry.sh list — every release under DEPLOY_ROOT/releases with its commit, whether it
# is current, and its last registry entry; then the registry history, newest last.
source "$(dirname "$0")/lib/common.sh"

[ "${1:-}" = list ] && [ $# -eq 1 ] || die 2 "usage: release-registry.sh list"

current=$(current_release)
printf 'deploy_root=%s current=%s\n' "$DEPLOY_ROOT" "${current:--}"
count=0
if [ -d "$DEPLOY_ROOT/releases" ]; then
  for dir in "$DEPLOY_ROOT"/releases/*/; do
    [ -d "$dir" ] || continue
    id=$(basename "$dir")
    sha=$(sed -n 's/^commit_sha=//p' "$dir/.deploy-meta" 2>/dev/null | head -n 1)
    deployed=$(sed -n 's/^deployed_at=//p' "$dir/.deploy-meta" 2>/dev/null | tail -n 1)
    last=""
    if [ -f "$REGISTRY_FILE" ]; then
      last=$(awk -F'\t' -v id="$id" '$2 == id { print $3 ":" $4 }' "$REGISTRY_FILE" | tail -n 1)
    fi
    flag=no
    [ "$id" = "$current" ] && flag=yes
    printf 'release_id=%s commit_sha=%s current=%s deployed_at=%s last=%s\n' "$id" "${sha:--}" "$flag" "${deployed:--}" "${last:--}"
    count=$((count + 1))
  done
fi
printf 'releases=%d\n' "$count"
if [ -f "$REGISTRY_FILE" ]; then
  printf 'history:\n'
  sed 's/^/  /' "$REGISTRY_FILE"
fi
