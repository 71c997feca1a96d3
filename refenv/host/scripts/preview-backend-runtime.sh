#!/usr/bin/env bash
# preview-backend-runtime.sh start|stop|restart|status --slot preview-N
# Host-native stand-in for a slot's backend process. Output is key=value, one line per result.
# The slot backend surface of the reference environment reads the state this script writes.
source "$(dirname "$0")/lib/common.sh"

action=${1:-}
[[ "$action" =~ ^(start|stop|restart|status)$ ]] || die 2 "usage: preview-backend-runtime.sh start|stop|restart|status --slot preview-N"
shift
opt_slot=""
parse_opts "$@"
valid_slot "$opt_slot" || die 2 "invalid slot id '${opt_slot}': expected preview-1, preview-2 or preview-3"
slot=$opt_slot

state_dir="$STATE_ROOT/preview-backend"
state_file="$state_dir/$slot.state"
log_file="$PREVIEW_BACKEND_LOG_DIR/$slot.log"
worktree="$STATE_ROOT/worktrees/$slot"
mkdir -p "$state_dir" "$PREVIEW_BACKEND_LOG_DIR"
db_url=$(slot_database_url "$slot")
backend=$(slot_backend_url "$slot")

runlog() { printf '%s slot=%s %s\n' "$(now_iso)" "$slot" "$*" >>"$log_file"; }
current_state() { if [ -f "$state_file" ]; then cat "$state_file"; else printf 'running\n'; fi; }

do_stop() {
  printf 'stopped\n' >"$state_file"
  runlog "action=stop state=stopped"
}
do_start() {
  if ! check_preview_target "$slot" "$db_url" 2>>"$log_file"; then
    runlog "action=start result=refused reason=unsafe_db_binding db=$db_url"
    printf 'slot=%s action=%s result=refused reason=unsafe_db_binding log=%s\n' "$slot" "$action" "$log_file"
    check_preview_target "$slot" "$db_url" || true
    exit 3
  fi
  mkdir -p "$worktree"
  printf 'running\n' >"$state_file"
  runlog "action=start state=running db=$db_url worktree=$worktree"
}

case "$action" in
  stop) do_stop ;;
  start) do_start ;;
  restart)
    do_stop
    do_start
    ;;
esac

read -r code ms < <(http_probe "$backend/health")
health=fail
[ "$code" = 200 ] && health=ok
state=$(current_state)
printf 'slot=%s action=%s state=%s health=%s http=%s port=%s db=%s worktree=%s log=%s\n' \
  "$slot" "$action" "$state" "$health" "$code" "${backend##*:}" "$db_url" "$worktree" "$log_file"
runlog "action=$action state=$state health=$health http=$code"
if [ "$action" != stop ] && [ "$action" != status ] && [ "$health" != ok ]; then
  printf 'error: slot backend %s did not become healthy (http %s); see %s\n' "$slot" "$code" "$log_file" >&2
  exit 1
fi
