# Shared helpers for the reference host scripts. Sourced, never run.
# Everything the scripts write lives under the sandbox root $SITREP_REFENV_STATE.

set -euo pipefail

SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOST_DIR=$(cd "$SCRIPTS_DIR/.." && pwd)
STATE_ROOT=${SITREP_REFENV_STATE:-/tmp/sitrep-refenv}

CONTROL_API_URL=${CONTROL_API_URL:-http://127.0.0.1:8000}
RUNTIME_API_URL=${RUNTIME_API_URL:-http://127.0.0.1:8080}
WORKER_URL=${WORKER_URL:-http://127.0.0.1:8090}
CADDY_URL=${CADDY_URL:-http://127.0.0.1:8088}
WEB_MAIN_URL=${WEB_MAIN_URL:-http://127.0.0.1:3100}
WEB_PREVIEW_1_URL=${WEB_PREVIEW_1_URL:-http://127.0.0.1:3101}
WEB_PREVIEW_2_URL=${WEB_PREVIEW_2_URL:-http://127.0.0.1:3102}
WEB_PREVIEW_3_URL=${WEB_PREVIEW_3_URL:-http://127.0.0.1:3103}
SLOT_BACKEND_1_URL=${SLOT_BACKEND_1_URL:-http://127.0.0.1:8101}
SLOT_BACKEND_2_URL=${SLOT_BACKEND_2_URL:-http://127.0.0.1:8102}
SLOT_BACKEND_3_URL=${SLOT_BACKEND_3_URL:-http://127.0.0.1:8103}
HTTP_TIMEOUT=${HTTP_TIMEOUT:-10}

log() { printf '%s\n' "$*" >&2; }
die() {
  local code=$1
  shift
  printf 'error: %s\n' "$*" >&2
  exit "$code"
}

# Prints "<http_code> <milliseconds>" for a GET; http_code 000 when unreachable.
http_probe() {
  local url=$1 host_header=${2:-}
  local out
  if [ -n "$host_header" ]; then
    out=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' --max-time "$HTTP_TIMEOUT" -H "Host: $host_header" "$url" 2>/dev/null) || true
  else
    out=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' --max-time "$HTTP_TIMEOUT" "$url" 2>/dev/null) || true
  fi
  [ -n "$out" ] || out="000 0"
  local code=${out%% *} secs=${out#* }
  local ms
  ms=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000 }')
  printf '%s %s\n' "$code" "$ms"
}

valid_slot() { [[ "$1" =~ ^preview-[1-3]$ ]]; }
valid_uuid() { [[ "$1" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]]; }
valid_release_id() { [[ "$1" =~ ^[A-Za-z0-9._-]{1,64}$ ]] && [[ "$1" != "." ]] && [[ "$1" != ".." ]]; }

slot_backend_url() {
  case "$1" in
    preview-1) printf '%s\n' "$SLOT_BACKEND_1_URL" ;;
    preview-2) printf '%s\n' "$SLOT_BACKEND_2_URL" ;;
    preview-3) printf '%s\n' "$SLOT_BACKEND_3_URL" ;;
  esac
}

web_preview_url() {
  case "$1" in
    preview-1) printf '%s\n' "$WEB_PREVIEW_1_URL" ;;
    preview-2) printf '%s\n' "$WEB_PREVIEW_2_URL" ;;
    preview-3) printf '%s\n' "$WEB_PREVIEW_3_URL" ;;
  esac
}

now_iso() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# Extracts a top-level string field from a flat JSON object: json_field '{"id":"x"}' id -> x
json_field() {
  printf '%s' "$1" | sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p" | head -n 1
}

# Prints the JSON object of one slot from GET /api/slots (slot objects are flat).
slot_json() {
  printf '%s' "$1" | tr '{' '\n' | grep "\"slot_id\":\"$2\"" | head -n 1
}

# --- release helpers (deploy.sh, rollback.sh, release-registry.sh) ---
DEPLOY_ROOT=${DEPLOY_ROOT:-$STATE_ROOT/deploy}
REGISTRY_FILE="$DEPLOY_ROOT/release-registry.tsv"

current_release() {
  local target
  target=$(readlink "$DEPLOY_ROOT/current" 2>/dev/null) || return 0
  basename "$target"
}

# Points $DEPLOY_ROOT/current at releases/<id> atomically (rename over the old link).
switch_current() {
  ln -sfn "releases/$1" "$DEPLOY_ROOT/.current.next"
  mv -Tf "$DEPLOY_ROOT/.current.next" "$DEPLOY_ROOT/current"
}

# Appends one row: time, release, action, outcome, previous release.
registry_append() {
  mkdir -p "$DEPLOY_ROOT"
  printf '%s\t%s\t%s\t%s\t%s\n' "$(now_iso)" "$1" "$2" "$3" "${4:--}" >>"$REGISTRY_FILE"
}

# Host-native stand-in for restarting the units: recorded in the sandbox, nothing real restarts.
restart_services() {
  mkdir -p "$DEPLOY_ROOT"
  printf '%s\trestart\touroboros-api.service ouroboros-worker.service\t%s\n' "$(now_iso)" "$1" >>"$DEPLOY_ROOT/service-restarts.log"
  printf 'services=restarted units=ouroboros-api.service,ouroboros-worker.service release=%s\n' "$1"
}

# Runs a configured health check command; the host's own configuration, not user input.
run_healthcheck() {
  local cmd=$1
  printf 'healthcheck=running cmd=%q\n' "$cmd"
  if (cd "$HOST_DIR" && bash -c "$cmd"); then
    printf 'healthcheck=ok\n'
    return 0
  fi
  printf 'healthcheck=fail\n'
  return 1
}

available_releases() {
  if [ -d "$DEPLOY_ROOT/releases" ]; then
    (cd "$DEPLOY_ROOT/releases" && ls -1) | tr '\n' ' ' | sed 's/ $//'
  fi
}

# --- preview slot helpers ---
PREVIEW_BACKEND_LOG_DIR=${PREVIEW_BACKEND_LOG_DIR:-/tmp/oroboros-preview-backend}
if [ -z "${PREVIEW_BACKEND_DATABASE_URL_TEMPLATE:-}" ]; then
  PREVIEW_BACKEND_DATABASE_URL_TEMPLATE='postgresql://postgres@127.0.0.1:5432/app_preview_{n}'
fi
PREVIEW_DB_ROOT="$STATE_ROOT/preview-db"

slot_number() { printf '%s\n' "${1#preview-}"; }

# The slot's database URL from the template ({n} = slot number, {slot} = slot id).
slot_database_url() {
  local n
  n=$(slot_number "$1")
  local n_token='{n}' slot_token='{slot}'
  local url=${PREVIEW_BACKEND_DATABASE_URL_TEMPLATE//"$n_token"/$n}
  printf '%s\n' "${url//"$slot_token"/$1}"
}

# Refuses any target that is not this slot's own local preview database.
check_preview_target() {
  local slot=$1 url=$2 n
  n=$(slot_number "$slot")
  local rest=${url#*://}
  local hostport=${rest%%/*}
  hostport=${hostport##*@}
  local host=${hostport%%:*}
  local db=${rest#*/}
  db=${db%%\?*}
  if [ "$db" != "app_preview_$n" ]; then
    printf 'error: unsafe database target for %s: database "%s" is not the slot preview database app_preview_%s (fix PREVIEW_BACKEND_DATABASE_URL_TEMPLATE)\n' "$slot" "$db" "$n" >&2
    return 1
  fi
  case "$host" in
    127.0.0.1 | localhost) ;;
    *)
      printf 'error: unsafe database target for %s: host "%s" is not local (fix PREVIEW_BACKEND_DATABASE_URL_TEMPLATE)\n' "$slot" "$host" >&2
      return 1
      ;;
  esac
}

# Parses "--slot X" style options into variables named opt_<name> (dashes become underscores).
parse_opts() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --dry-run) opt_dry_run=1 ;;
      --*)
        [ $# -ge 2 ] || die 2 "option $1 needs a value"
        local name=${1#--}
        name=${name//-/_}
        [[ "$name" =~ ^(slot|run_id|strategy|seed_version|snapshot_version)$ ]] || die 2 "unknown option $1"
        printf -v "opt_$name" '%s' "$2"
        shift
        ;;
      *) die 2 "unexpected argument '$1'" ;;
    esac
    shift
  done
}
