#!/usr/bin/env bash
# A local EtlActors cluster: N node processes on 127.0.0.1 and a throwaway PostgreSQL journal.
# The same topology as docker-compose.yml, without Docker. See cluster/README.md.
set -euo pipefail

CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$CLUSTER_DIR")"
DEFAULT_RUN_DIR="$CLUSTER_DIR/.run"
# Where an 'up' with ETL_RUN_DIR elsewhere leaves its folder, so that status, kill and down in another shell
# (without the variable, or from another directory) find the cluster it started.
REMEMBERED="$DEFAULT_RUN_DIR/up-run-dir"

# The folder REMEMBERED names, if a cluster is up there.
remembered_run_dir() {
  local dir
  [ -f "$REMEMBERED" ] && IFS= read -r dir < "$REMEMBERED" && [ -f "$dir/state" ] && printf '%s\n' "$dir"
}

if [ -n "${ETL_RUN_DIR:-}" ]; then RUN_DIR=$ETL_RUN_DIR
elif ! RUN_DIR=$(remembered_run_dir); then RUN_DIR=$DEFAULT_RUN_DIR
fi
# Absolute: nodes run from their dll's folder, and client.env is sourced from anywhere.
case $RUN_DIR in /*) ;; *) RUN_DIR="$PWD/$RUN_DIR" ;; esac
STATE="$RUN_DIR/state"
PG_DIR="$RUN_DIR/pg"
HOST=127.0.0.1
BASE_PORT="${ETL_BASE_PORT:-4053}"
HTTP_BASE_PORT="${ETL_HTTP_BASE_PORT:-9464}"  # node I serves /metrics and /health on HTTP_BASE_PORT+I-1 (cluster/prometheus/prometheus.local.yml)
UP_TIMEOUT="${ETL_UP_TIMEOUT:-60}"
DOWN_TIMEOUT="${ETL_DOWN_TIMEOUT:-30}"
# Nodes 1..3 are all listed as seeds: node1 forms the cluster, and a restarted node1 rejoins the
# others instead of forming a second cluster (only the first seed in the list may join itself).
MAX_SEEDS=3

usage() {
  cat <<EOF
usage: cluster/local.sh <command>

  up N [--pg URL]   start N nodes (1 to 50) on $HOST, ports from \$ETL_BASE_PORT (default 4053),
                    with a throwaway PostgreSQL journal, or the server at URL; node1 forms the
                    cluster and nodes 1-3 are its seeds; waits until every node has joined and
                    serves HTTP, then prints each node, the credentials to 'source' and a
                    command that submits samples/skype-export.tar
  status            each node's address, metrics URL and pid, running or dead
  kill I            SIGKILL node I (a crash, for failover tests)
  down              stop every node (SIGTERM; SIGKILL after \$ETL_DOWN_TIMEOUT) and the PostgreSQL
                    that 'up' started; logs and credentials stay
  help              this text

status, kill and down act on the cluster the last 'up' started, in any shell: with ETL_RUN_DIR set
  for 'up', they find its run folder without it (unless ETL_RUN_DIR names another).

environment: ETL_NODE_DLL (a built etl-node.dll; default: build src/EtlActors.Node),
  ETL_NODE_CONFIG (extra node settings; default cluster/node.local.json), ETL_BASE_PORT,
  ETL_HTTP_BASE_PORT (node I serves /metrics and /health/* on it + I - 1; default 9464),
  ETL_UP_TIMEOUT (seconds, default 60), ETL_DOWN_TIMEOUT (seconds, default 30), PGPASSWORD,
  ETL_SOURCES_ROOT (the nodes read sources only under this folder; default: any file you can read),
  ETL_RUN_DIR (the run folder: pids, logs, PostgreSQL and credentials; default cluster/.run),
  ETL_INSECURE_PLAINTEXT=1 (no TLS; by default 'up' makes a development CA and node and client
  certificates in the run folder's tls/, once)
credentials: 'up' issues an admin API key once (the run folder's keys/admin.key; the nodes get
  only its SHA-256) and writes client.env: 'source' it, and etl commands reach the cluster as admin
logs: <run folder>/node<I>.log, <run folder>/pg/server.log
exit codes: 0 done, 1 failed (an error: line says why), 2 a usage mistake
EOF
}

die() { echo "error: $*" >&2; exit 1; }
# A mistake in the command line: its line and where the rest is, as `etl` does, not the whole usage.
usage_error() { printf 'error: %s\nsee '"'"'cluster/local.sh help'"'"'\n' "$*" >&2; exit 2; }

# key=value lines; values are not shell-quoted, so the file is read, never sourced.
state_get() {
  local key=$1 line
  [ -f "$STATE" ] || return 1
  while IFS= read -r line; do
    if [ "${line%%=*}" = "$key" ]; then printf '%s\n' "${line#*=}"; return 0; fi
  done < "$STATE"
  return 1
}
state_set() { printf '%s=%s\n' "$1" "$2" >> "$STATE"; }

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# Alive and still our node: a pid file can outlive its process and the pid be reused. A zombie
# (killed, not yet reaped) has an empty command line, so it counts as dead.
node_running() {
  local pid=$1 dll
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ -r "/proc/$pid/cmdline" ] || return 0
  dll=$(state_get DLL) || dll=.dll
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$(basename "$dll")"
}

# A node 'up' has just started may for a moment still be this script's subshell, not yet exec'd
# into dotnet (a loaded machine stretches that moment): starting, not dead.
node_starting() {
  local pid=$1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] \
    && [ "$(tr '\0' ' ' < "/proc/$pid/cmdline")" = "$(tr '\0' ' ' < "/proc/$$/cmdline")" ]
}

node_pid() { if [ -f "$RUN_DIR/node$1.pid" ]; then cat "$RUN_DIR/node$1.pid"; fi; }

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# wait_until SECONDS INTERVAL COMMAND...: runs COMMAND (in this shell, so it may set variables or abort)
# every INTERVAL seconds until it succeeds (0) or SECONDS have passed (1). The shell's Eventually.UntilAsync.
wait_until() {
  local deadline=$(( SECONDS + $1 )) every=$2
  shift 2
  until "$@"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep "$every"
  done
}

node_gone() { ! node_running "$1"; }

log_tail() {
  local file=$1
  echo "--- $file (last 30 lines) ---" >&2
  if [ -f "$file" ]; then tail -n 30 "$file" >&2; else echo "(no log)" >&2; fi
}

# PATH as the caller pastes it here: relative when under the current directory, else absolute; shell-quoted.
from_here() {
  local path=$1
  case $path in "$PWD"/*) path=${path#"$PWD"/} ;; esac
  printf '%q\n' "$path"
}

# The password never goes on a command line or to the terminal.
redact_url() { sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#' <<< "$1"; }

# --- PostgreSQL -----------------------------------------------------------------------------

AS_POSTGRES=0
[ "$(id -u)" = 0 ] && AS_POSTGRES=1

# initdb refuses to run as root, so as root the server runs as the postgres user.
pg_run() {
  if [ "$AS_POSTGRES" = 1 ]; then (cd "$PG_DIR" && runuser -u postgres -- "$@"); else (cd "$PG_DIR" && "$@"); fi
}

pg_bin_dir() {
  local dir
  # Newest major version first.
  while IFS= read -r dir; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k4,4nr)
  return 1
}

# Starts the server in $PG_DIR and sets PG_URL and PG_PORT.
pg_start() {
  local bin
  bin=$(pg_bin_dir) || abort_up "no PostgreSQL server binaries under /usr/lib/postgresql/<version>/bin: install them (apt-get install postgresql) or pass --pg URL"
  rm -rf "$PG_DIR"
  mkdir -p "$PG_DIR"
  if [ "$AS_POSTGRES" = 1 ]; then
    # The postgres user must be able to reach its folder through every parent.
    local dir=$PG_DIR
    while dir=$(dirname "$dir"); [ "$dir" != / ]; do
      stat -c %A "$dir" | grep -q '[xt]$' || chmod o+x "$dir"
    done
    chown -R postgres "$PG_DIR"
  fi
  if ! pg_run "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --no-sync > "$PG_DIR/initdb.log" 2>&1; then
    log_tail "$PG_DIR/initdb.log"
    abort_up "initdb failed"
  fi
  state_set PG_OWNED 1
  state_set PG_BIN "$bin"
  local port started=0
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    # A dev server: durable against killed processes (the OS keeps the writes), not a power cut.
    if pg_run "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=$HOST -c unix_socket_directories=$PG_DIR/data -c fsync=off -c full_page_writes=off -c max_connections=200" \
        start > "$PG_DIR/pg_ctl.log" 2>&1; then
      started=1; break
    fi
    # Another process can take the port between the probe and the server's bind.
    grep -q 'already in use' "$PG_DIR/server.log" 2>/dev/null || break
  done
  if [ "$started" != 1 ]; then
    cat "$PG_DIR/pg_ctl.log" >&2
    log_tail "$PG_DIR/server.log"
    abort_up "PostgreSQL did not start"
  fi
  if ! "$bin/createdb" -h "$HOST" -p "$port" -U postgres etl > "$PG_DIR/createdb.log" 2>&1; then
    cat "$PG_DIR/createdb.log" >&2
    abort_up "could not create database etl"
  fi
  PG_URL="postgresql://postgres@$HOST:$port/etl"
}

pg_stop() {
  local bin
  bin=$(state_get PG_BIN) || return 0
  [ -f "$PG_DIR/data/postmaster.pid" ] || return 0
  pg_run "$bin/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop > /dev/null 2>&1 \
    || pg_run "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop > /dev/null 2>&1 \
    || echo "warning: PostgreSQL in $PG_DIR/data did not stop" >&2
}

free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 40000 ))
    port_in_use "$port" || { echo "$port"; return 0; }
  done
}

# --- nodes ----------------------------------------------------------------------------------

node_count() { state_get NODES || echo 0; }
node_port() { echo $(( $(state_get BASE_PORT) + $1 - 1 )); }
# A state file from before the HTTP port had none: such a node serves nothing to name.
node_metrics() { local base; base=$(state_get HTTP_BASE_PORT) && echo "metrics http://$HOST:$(( base + $1 - 1 ))/metrics" || echo "metrics -"; }

# Mutual TLS, as in production: a development CA and the node and client certificates it issues,
# made once per run folder (openssl), the PFX password in a file that only this user can read.
tls_dir() { echo "$RUN_DIR/tls"; }
insecure() { [ "${ETL_INSECURE_PLAINTEXT:-}" = 1 ] || [ "${ETL_INSECURE_PLAINTEXT:-}" = true ]; }
ensure_tls() {
  local dir who
  dir=$(tls_dir)
  insecure && return 0
  [ -f "$dir/ca.crt" ] && [ -f "$dir/node.pfx" ] && [ -f "$dir/client.pfx" ] && [ -f "$dir/password" ] && return 0
  command -v openssl > /dev/null || die "openssl is needed to make the development certificates (or set ETL_INSECURE_PLAINTEXT=1)"
  mkdir -p "$dir" && chmod 700 "$dir"
  if ! (umask 077
    openssl rand -hex 16 > "$dir/password"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/ca.key" -out "$dir/ca.crt" -days 365 \
      -subj "/CN=EtlActors local development CA" -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign"
    for who in node client; do
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/$who.key" -out "$dir/$who.csr" -subj "/CN=etl-$who"
      # Both uses for both: a node dials other nodes, and a client's actor system accepts connections too.
      printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyAgreement" \
        "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" > "$dir/$who.ext"
      openssl x509 -req -in "$dir/$who.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 365 -extfile "$dir/$who.ext" -out "$dir/$who.crt"
      openssl pkcs12 -export -inkey "$dir/$who.key" -in "$dir/$who.crt" -passout "file:$dir/password" -out "$dir/$who.pfx"
      rm -f "$dir/$who.csr" "$dir/$who.ext" "$dir/$who.key"
    done) > "$RUN_DIR/tls.log" 2>&1; then
    rm -f "$dir/ca.crt"
    die "making the development certificates failed; see $RUN_DIR/tls.log"
  fi
}

# An admin API key, made once per run folder like the certificates, TLS or not: nodes refuse every
# client command without a key they know. The key stays in a file only this user can read (never
# on a command line or in the output); the nodes are given only its SHA-256 (ADMIN_KEY_SHA256).
keys_dir() { echo "$RUN_DIR/keys"; }
ensure_admin_key() {
  local dir file
  dir=$(keys_dir)
  file="$dir/admin.key"
  if [ ! -s "$file" ]; then
    mkdir -p "$dir" && chmod 700 "$dir"
    # 32 random bytes as base64url, as `etl keys new` makes them; no openssl or built etl needed.
    (umask 077; printf '%s\n' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" > "$file.new") \
      && mv "$file.new" "$file" || die "could not write the API key $file"
  fi
  ADMIN_KEY_SHA256=$(printf %s "$(head -n 1 "$file")" | sha256sum | cut -d' ' -f1)
}

# What an etl command (or EtlClient) needs to reach this cluster as its admin, for `source`: TLS
# settings (or the plaintext flag), the key's file, and every node. Written on every 'up'.
env_export() { local q="'\\''"; printf "export %s='%s'\n" "$1" "${2//\'/$q}"; }  # single-quoted, for any shell
write_client_env() {
  local n=$1 tls i contacts=""
  tls=$(tls_dir)
  for (( i = 0; i < n; i++ )); do contacts+="${contacts:+,}$HOST:$(( BASE_PORT + i ))"; done
  {
    echo "# source this file: etl commands then reach the local cluster in $RUN_DIR as its admin"
    if insecure; then
      echo "unset ETL_TLS_CERT ETL_TLS_CERT_PASSWORD ETL_TLS_CERT_PASSWORD_FILE ETL_TLS_CA"
      printf 'export ETL_INSECURE_PLAINTEXT=1\n'
    else
      echo "unset ETL_INSECURE_PLAINTEXT ETL_TLS_CERT_PASSWORD"
      env_export ETL_TLS_CERT "$tls/client.pfx"
      env_export ETL_TLS_CERT_PASSWORD_FILE "$tls/password"
      env_export ETL_TLS_CA "$tls/ca.crt"
    fi
    echo "unset ETL_API_KEY  # it would win over the key file"
    env_export ETL_API_KEY_FILE "$(keys_dir)/admin.key"
    env_export ETL_CLUSTER "$contacts"
  } > "$RUN_DIR/client.env"
}

start_node() {
  local i=$1 dll=$2 journal=$3 nodes=$4 port=$(( BASE_PORT + $1 - 1 ))
  local -a env=(
    "Etl__Port=$port"
    "Etl__Http__Port=$(( HTTP_BASE_PORT + $1 - 1 ))"
    "Etl__Journal=$journal"
    "ETL_NODE_CONFIG=${ETL_NODE_CONFIG:-$CLUSTER_DIR/node.local.json}"
    # Key 0 (more from index 1 in ETL_NODE_CONFIG): the admin key in client.env, by its hash.
    "Etl__Security__ApiKeys__0__Principal=local-admin"
    "Etl__Security__ApiKeys__0__KeySha256=$ADMIN_KEY_SHA256"
    "Etl__Security__ApiKeys__0__Role=admin"
  )
  # Hosts a client's --sink URL may name: this machine (the throwaway PostgreSQL), and --pg's server.
  local h
  for (( h = 0; h < ${#SINK_HOSTS[@]}; h++ )); do env+=("Etl__SinkHosts__$h=${SINK_HOSTS[$h]}"); done
  # On one machine any local path names the same file for every node, so no root unless asked for.
  if [ -n "$SOURCES_ROOT" ]; then env+=("Etl__SourcesRoot=$SOURCES_ROOT"); fi
  local protocol=akka.ssl.tcp dir
  dir=$(tls_dir)
  if insecure; then
    protocol=akka.tcp
    env+=("Etl__Tls__InsecurePlaintext=true")
  else
    env+=("Etl__Tls__CertificatePath=$dir/node.pfx" "Etl__Tls__CertificatePasswordFile=$dir/password" "Etl__Tls__CaCertificatePath=$dir/ca.crt")
  fi
  local s seeds=$(( nodes < MAX_SEEDS ? nodes : MAX_SEEDS ))
  for (( s = 0; s < seeds; s++ )); do
    env+=("Etl__SeedNodes__$s=$protocol://etl@$HOST:$(( BASE_PORT + s ))")
  done
  # Its own session: the node outlives this script and is deaf to the terminal's Ctrl+C.
  # Run from the dll's folder, so whatever the caller's directory is, it stays untouched.
  (cd "$(dirname "$dll")" && exec env "${env[@]}" setsid dotnet "$dll" < /dev/null > "$RUN_DIR/node$i.log" 2>&1) &
  echo $! > "$RUN_DIR/node$i.pid"
  # Not this script's job any more: no "Killed" notice when 'up' gives up on it.
  disown $!
}

# Stops what 'up' started when it cannot finish; logs stay for a look.
abort_up() {
  local i pid
  for (( i = 1; i <= $(node_count); i++ )); do
    pid=$(node_pid "$i")
    if node_running "$pid" || node_starting "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$RUN_DIR/node$i.pid"
  done
  [ "$(state_get PG_OWNED || echo 0)" = 1 ] && pg_stop && rm -rf "$PG_DIR"
  rm -f "$STATE"
  die "$1"
}

# Whether nodes 1..N have all logged that they joined and serve HTTP (the rest in PENDING); a node that exited aborts 'up'.
all_joined() {
  local i
  PENDING=()
  for (( i = 1; i <= $1; i++ )); do
    # Both: Akka starts before Kestrel, so a node can be up before its HTTP port listens.
    grep -q 'cluster member up' "$RUN_DIR/node$i.log" 2>/dev/null && grep -q 'metrics and health on' "$RUN_DIR/node$i.log" && continue
    if ! node_running "$(node_pid "$i")" && ! node_starting "$(node_pid "$i")"; then
      log_tail "$RUN_DIR/node$i.log"
      abort_up "node$i exited before joining the cluster"
    fi
    PENDING+=("$i")
  done
  [ ${#PENDING[@]} -eq 0 ]
}

cmd_up() {
  local n=${1:-} pg_url=""
  [ -n "$n" ] || usage_error "up needs N, the number of nodes (1 to 50)"
  is_uint "$n" && [ "$n" -ge 1 ] && [ "$n" -le 50 ] || usage_error "up: N must be a number from 1 to 50, not '$n'"
  shift
  while [ $# -gt 0 ]; do
    case $1 in
      --pg) [ $# -ge 2 ] && [ -n "$2" ] || usage_error "up: --pg needs a URL (postgresql://user@host:port/db)"; pg_url=$2; shift 2 ;;
      *) usage_error "up: unknown option '$1'" ;;
    esac
  done
  SINK_HOSTS=("$HOST" localhost)
  if [ -f "$STATE" ]; then
    die "a local cluster is already up ($(node_count) nodes, $STATE); 'cluster/local.sh status' shows it, 'cluster/local.sh down' stops it"
  fi
  is_uint "$BASE_PORT" && [ "$BASE_PORT" -ge 1024 ] && [ $(( BASE_PORT + n - 1 )) -le 65535 ] || die "ETL_BASE_PORT must be a port from 1024 on, not '$BASE_PORT'"
  local i
  for (( i = 0; i < n; i++ )); do
    port_in_use $(( BASE_PORT + i )) && die "port $(( BASE_PORT + i )) on $HOST is in use; free it or set ETL_BASE_PORT"
    port_in_use $(( HTTP_BASE_PORT + i )) && die "port $(( HTTP_BASE_PORT + i )) on $HOST (metrics and health) is in use; free it or set ETL_HTTP_BASE_PORT"
  done

  mkdir -p "$RUN_DIR"
  local dll=${ETL_NODE_DLL:-}
  if [ -z "$dll" ]; then
    dll="$REPO_DIR/src/EtlActors.Node/bin/Release/net10.0/etl-node.dll"
    echo "building src/EtlActors.Node (Release)"
    if ! (cd "$REPO_DIR" && dotnet build -c Release src/EtlActors.Node -v q -nologo) > "$RUN_DIR/build.log" 2>&1; then
      grep -E 'error|Error' "$RUN_DIR/build.log" | tail -n 20 >&2 || tail -n 20 "$RUN_DIR/build.log" >&2
      die "build failed; see $RUN_DIR/build.log"
    fi
  fi
  [ -f "$dll" ] || die "no node at $dll"
  dll=$(cd "$(dirname "$dll")" && pwd)/$(basename "$dll")
  # Absolute: the nodes run from the dll's folder.
  SOURCES_ROOT=""
  if [ -n "${ETL_SOURCES_ROOT:-}" ]; then
    SOURCES_ROOT=$(cd "$ETL_SOURCES_ROOT" 2>/dev/null && pwd) || die "ETL_SOURCES_ROOT: no folder $ETL_SOURCES_ROOT"
  fi

  ensure_tls
  ensure_admin_key
  write_client_env "$n"
  rm -f "$RUN_DIR"/node*.log
  : > "$STATE"
  chmod 600 "$STATE"
  remember_run_dir
  state_set BASE_PORT "$BASE_PORT"
  state_set HTTP_BASE_PORT "$HTTP_BASE_PORT"
  state_set DLL "$dll"
  local journal
  if [ -n "$pg_url" ]; then
    # A password in the URL goes to the nodes as PGPASSWORD; the URL they and the state file see has none.
    if [[ $pg_url =~ ^(postgres(ql)?://[^:/@]*):([^@/]*)@(.*)$ ]]; then
      local password=${BASH_REMATCH[3]}
      # Percent-decoded, as libpq would.
      PGPASSWORD="$(printf '%b' "${password//%/\\x}")"
      export PGPASSWORD
      pg_url="${BASH_REMATCH[1]}@${BASH_REMATCH[4]}"
    fi
    [[ $pg_url =~ ^postgres(ql)?:// ]] || abort_up "up: --pg wants a postgresql://user@host:port/db URL"
    # Its host, as the nodes compare it with a --sink URL's: no user, port or IPv6 brackets.
    if [[ $pg_url =~ ^postgres(ql)?://([^@/]*@)?(\[([^]/]*)\]|([^:/?]*)) ]]; then
      local pg_host=${BASH_REMATCH[4]}${BASH_REMATCH[5]}
      case $pg_host in ""|127.0.0.1|localhost) ;; *) SINK_HOSTS+=("$pg_host") ;; esac
    fi
    state_set PG_OWNED 0
    journal=$pg_url
  else
    pg_start
    journal=$PG_URL
  fi
  state_set PG_URL "$journal"
  state_set NODES "$n"

  for (( i = 1; i <= n; i++ )); do
    start_node "$i" "$dll" "$journal" "$n"
    echo "node$i $HOST:$(( BASE_PORT + i - 1 )) $(node_metrics "$i") pid $(node_pid "$i")"
  done

  # Every node must join; a node that exits or stays out is shown with its log.
  PENDING=()
  if ! wait_until "$UP_TIMEOUT" 0.5 all_joined "$n"; then
    for i in "${PENDING[@]}"; do log_tail "$RUN_DIR/node$i.log"; done
    abort_up "node(s) ${PENDING[*]} did not join the cluster within ${UP_TIMEOUT}s"
  fi

  echo "cluster up: $n node(s); journal $(redact_url "$journal")"
  if insecure; then echo "warning: ETL_INSECURE_PLAINTEXT=1: plaintext remoting (client.env sets ETL_INSECURE_PLAINTEXT=1 for etl commands)"; fi
  # Never the key itself: it is in keys/admin.key, which client.env names.
  echo "credentials: source $RUN_DIR/client.env"
  if [ -n "$SOURCES_ROOT" ]; then echo "sources root: $SOURCES_ROOT"
  else echo "sources root: none (the nodes read any file you can; ETL_SOURCES_ROOT=<folder> to confine them)"; fi
  echo "sink hosts: ${SINK_HOSTS[*]} (a --sink URL may name these; no --sink: the journal's database)"
  if is_remembered; then echo "manage: cluster/local.sh status | kill I | down      (from any shell)"
  else echo "manage: ETL_RUN_DIR=$RUN_DIR cluster/local.sh status | kill I | down"; fi
  # One line to paste, as the README shows it when run from the repository with the default run folder.
  echo "submit: source $(from_here "$RUN_DIR/client.env") && dotnet run --project $(from_here "$REPO_DIR/src/EtlActors.Cli") -- submit $(from_here "$REPO_DIR/samples/skype-export.tar") --tenant acme"
  echo "        (another export: its path must be readable by every node; etl = dotnet run --project src/EtlActors.Cli --)"
}

# Only one cluster is remembered: one up in the default folder, or remembered already, keeps its place.
remember_run_dir() {
  [ "$RUN_DIR" = "$DEFAULT_RUN_DIR" ] && return 0
  [ -f "$DEFAULT_RUN_DIR/state" ] && return 0
  local other
  if other=$(remembered_run_dir) && [ "$other" != "$RUN_DIR" ]; then return 0; fi
  mkdir -p "$DEFAULT_RUN_DIR"
  printf '%s\n' "$RUN_DIR" > "$REMEMBERED"
}

is_remembered() { [ "$RUN_DIR" = "$DEFAULT_RUN_DIR" ] || [ "$(remembered_run_dir)" = "$RUN_DIR" ]; }

forget_run_dir() {
  local dir
  if [ -f "$REMEMBERED" ] && IFS= read -r dir < "$REMEMBERED" && [ "$dir" = "$RUN_DIR" ]; then rm -f "$REMEMBERED"; fi
}

require_state() {
  [ -f "$STATE" ] || die "no local cluster is up (start one with 'cluster/local.sh up N')"
}

cmd_status() {
  require_state
  local i pid n
  n=$(node_count)
  for (( i = 1; i <= n; i++ )); do
    pid=$(node_pid "$i")
    if node_running "$pid"; then echo "node$i $HOST:$(node_port "$i") $(node_metrics "$i") pid $pid running"
    else echo "node$i $HOST:$(node_port "$i") $(node_metrics "$i") pid ${pid:-?} dead"; fi
  done
}

cmd_kill() {
  local i=${1:-} n pid
  require_state
  n=$(node_count)
  is_uint "$i" && [ "$i" -ge 1 ] && [ "$i" -le "$n" ] || usage_error "kill: I must be a node number from 1 to $n, not '$i'"
  pid=$(node_pid "$i")
  node_running "$pid" || die "node$i is not running"
  kill -KILL "$pid"
  wait_until 10 0.1 node_gone "$pid" || true
  echo "node$i $HOST:$(node_port "$i") $(node_metrics "$i") pid $pid killed"
}

# Whether every node in LIVE (i:pid entries) has stopped; those still running stay in LIVE.
all_stopped() {
  local entry
  local -a remaining=()
  for entry in ${LIVE[@]+"${LIVE[@]}"}; do
    if node_running "${entry#*:}"; then remaining+=("$entry"); fi
  done
  LIVE=(${remaining[@]+"${remaining[@]}"})
  [ ${#LIVE[@]} -eq 0 ]
}

cmd_down() {
  require_state
  local i pid n
  n=$(node_count)
  local -a live=()
  for (( i = 1; i <= n; i++ )); do
    pid=$(node_pid "$i")
    if node_running "$pid"; then kill -TERM "$pid" 2>/dev/null || true; live+=("$i:$pid"); fi
  done
  # SIGTERM lets each node leave the cluster and hand its jobs over; a node that hangs is killed.
  local entry
  LIVE=(${live[@]+"${live[@]}"})
  if ! wait_until "$DOWN_TIMEOUT" 0.2 all_stopped; then
    for entry in "${LIVE[@]}"; do
      echo "node${entry%%:*} did not stop within ${DOWN_TIMEOUT}s; killing it" >&2
      kill -KILL "${entry#*:}" 2>/dev/null || true
    done
  fi
  for entry in ${live[@]+"${live[@]}"}; do echo "node${entry%%:*} stopped"; done
  for (( i = 1; i <= n; i++ )); do rm -f "$RUN_DIR/node$i.pid"; done
  if [ "$(state_get PG_OWNED || echo 0)" = 1 ]; then
    pg_stop
    rm -rf "$PG_DIR"
    echo "postgres stopped"
  fi
  forget_run_dir
  rm -f "$STATE"
}

for setting in "ETL_UP_TIMEOUT=$UP_TIMEOUT" "ETL_DOWN_TIMEOUT=$DOWN_TIMEOUT"; do
  is_uint "${setting#*=}" || die "${setting%%=*} must be a number of seconds, not '${setting#*=}'"
done

case ${1:-} in
  up) shift; cmd_up "$@" ;;
  status) [ $# -eq 1 ] || usage_error "status takes nothing after it"; cmd_status ;;
  kill) [ $# -eq 2 ] || usage_error "kill needs one node number I"; cmd_kill "$2" ;;
  down) [ $# -eq 1 ] || usage_error "down takes nothing after it"; cmd_down ;;
  -h|--help|help) [ $# -eq 1 ] || usage_error "help takes nothing after it"; usage ;;
  "") usage_error "a command is needed: up, status, kill, down or help" ;;
  *) usage_error "unknown command '$1' (up, status, kill, down or help)" ;;
esac
