#!/usr/bin/env bash
# A local KRaft cluster of three controllers and three brokers, each its own JVM, from the same
# Maven Central jars as kafka.sh (which fetches them). For trying what a broker loss does.
#
#   deploy/local/kafka/kafka.sh cluster start    # fetch if needed, format once, start all six, wait
#   deploy/local/kafka/kafka.sh cluster stop     # brokers first, then controllers
#   deploy/local/kafka/kafka.sh cluster status   # each node; exit 0 if all six run, 3 otherwise
#   deploy/local/kafka/kafka.sh cluster reset    # stop and delete .data/kafka-cluster
#   deploy/local/kafka/kafka.sh cluster kill N   # kill -9 broker N (1-3)
#   deploy/local/kafka/kafka.sh cluster start-broker N   # start broker N again
#
# Environment (all optional):
#   KAFKA_CLUSTER_BROKER_PORTS="9192 9193 9194"      client listeners of brokers 1-3
#   KAFKA_CLUSTER_CONTROLLER_PORTS="9195 9196 9197"  controller listeners of controllers 1-3
#   KAFKA_CLUSTER_DATA_DIR                           defaults to <repo>/.data/kafka-cluster
#   KAFKA_CLUSTER_HEAP_OPTS="-Xms128m -Xmx384m"      per JVM
#   KAFKA_START_TIMEOUT=120                          seconds to wait for the brokers
#
# Bootstrap for clients: 127.0.0.1:9192,127.0.0.1:9193,127.0.0.1:9194. Topics default to three
# replicas with min.insync.replicas=2, so one broker may be lost without losing writes.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"
HOST=127.0.0.1

read -r -a BROKER_PORTS <<<"${KAFKA_CLUSTER_BROKER_PORTS:-9192 9193 9194}"
read -r -a CONTROLLER_PORTS <<<"${KAFKA_CLUSTER_CONTROLLER_PORTS:-9195 9196 9197}"
HEAP_OPTS="${KAFKA_CLUSTER_HEAP_OPTS:--Xms128m -Xmx384m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
DATA_DIR="${KAFKA_CLUSTER_DATA_DIR:-$REPO_ROOT/.data/kafka-cluster}"

KAFKA_VERSION="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1)}"
LIBS_DIR="$REPO_ROOT/.cache/kafka/$KAFKA_VERSION/libs"
if [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="java"; fi

log() { echo "kafka-cluster: $*"; }
die() { echo "kafka-cluster: error: $*" >&2; exit 1; }

bootstrap() {
  local list=() port
  for port in "${BROKER_PORTS[@]}"; do list+=("$HOST:$port"); done
  (IFS=,; echo "${list[*]}")
}

voters() {
  local list=() i
  for i in 1 2 3; do list+=("$i@$HOST:${CONTROLLER_PORTS[$((i - 1))]}"); done
  (IFS=,; echo "${list[*]}")
}

# Node ids: controllers 1-3, brokers 11-13 (broker N is node 10+N).
node_dir() { echo "$DATA_DIR/$1"; }            # controller-1 ... broker-3
node_pid_file() { echo "$(node_dir "$1")/kafka.pid"; }

node_pid() { # name -> pid of its running JVM, or fails
  local file pid
  file="$(node_pid_file "$1")"
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $(node_dir "$1")/server.properties" || return 1
  echo "$pid"
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

write_node_config() { # name role id port
  local name="$1" role="$2" id="$3" port="$4" dir
  dir="$(node_dir "$name")"
  mkdir -p "$dir/logs"
  {
    echo "# Written by deploy/local/kafka/kafka-cluster.sh on every start; edit the script, not this file."
    echo "process.roles=$role"
    echo "node.id=$id"
    echo "controller.quorum.voters=$(voters)"
    echo "controller.listener.names=CONTROLLER"
    if [[ "$role" == controller ]]; then
      echo "listeners=CONTROLLER://$HOST:$port"
    else
      echo "listeners=PLAINTEXT://$HOST:$port"
      echo "advertised.listeners=PLAINTEXT://$HOST:$port"
      echo "inter.broker.listener.name=PLAINTEXT"
    fi
    echo "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
    echo "log.dirs=$dir/logs"
    cat <<'EOF'

# Three replicas, two of them in sync for a write: one broker may go.
auto.create.topics.enable=false
delete.topic.enable=true
num.partitions=3
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
unclean.leader.election.enable=false

# History kept, as on the single broker: read models are rebuilt by replaying it.
log.retention.ms=-1
log.retention.bytes=-1
offsets.retention.minutes=525600

# Local timings: quick elections and fencing, no first-rebalance delay.
group.initial.rebalance.delay.ms=0
controller.quorum.election.timeout.ms=1000
controller.quorum.fetch.timeout.ms=2000
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=6000
replica.lag.time.max.ms=10000

num.network.threads=1
num.io.threads=2
num.recovery.threads.per.data.dir=1
EOF
  } >"$dir/server.properties"
  cat >"$dir/log4j2.properties" <<'EOF'
status = warn
name = valley-local-kafka-cluster
appender.server.type = RollingFile
appender.server.name = server
appender.server.fileName = ${sys:kafka.logs.dir}/server.log
appender.server.filePattern = ${sys:kafka.logs.dir}/server.log.%i
appender.server.layout.type = PatternLayout
appender.server.layout.pattern = [%d] %p %m (%c)%n
appender.server.policies.type = Policies
appender.server.policies.size.type = SizeBasedTriggeringPolicy
appender.server.policies.size.size = 10MB
appender.server.strategy.type = DefaultRolloverStrategy
appender.server.strategy.max = 3
rootLogger.level = INFO
rootLogger.appenderRef.server.ref = server
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
EOF
}

java_log_opts() { echo "-Dlog4j2.configurationFile=$(node_dir "$1")/log4j2.properties -Dkafka.logs.dir=$(node_dir "$1")"; }

nodes() { echo controller-1 controller-2 controller-3 broker-1 broker-2 broker-3; }

configure_all() {
  local i
  for i in 1 2 3; do
    write_node_config "controller-$i" controller "$i" "${CONTROLLER_PORTS[$((i - 1))]}"
    write_node_config "broker-$i" broker "$((10 + i))" "${BROKER_PORTS[$((i - 1))]}"
  done
}

# Every node is formatted with the same cluster id (static quorum: the voters are in the config).
format_all() {
  [[ -f "$DATA_DIR/cluster-id" ]] && return 0
  local cluster_id name
  # shellcheck disable=SC2046
  cluster_id="$("$JAVA" $(java_log_opts controller-1) -cp "$LIBS_DIR/*" kafka.tools.StorageTool random-uuid | tail -n1)"
  [[ -n "$cluster_id" ]] || die "StorageTool random-uuid printed nothing"
  log "formatting six nodes in ${DATA_DIR#"$REPO_ROOT"/} (cluster id $cluster_id)"
  local failed=0
  for name in $(nodes); do
    # shellcheck disable=SC2046
    "$JAVA" $(java_log_opts "$name") -cp "$LIBS_DIR/*" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$(node_dir "$name")/server.properties" >"$(node_dir "$name")/format.out" 2>&1 &
  done
  wait || failed=1
  for name in $(nodes); do
    [[ -f "$(node_dir "$name")/logs/meta.properties" ]] && continue
    tail -n 20 "$(node_dir "$name")/format.out" >&2
    failed=1
  done
  (( failed == 0 )) || die "StorageTool format failed (see format.out of each node)"
  echo "$cluster_id" >"$DATA_DIR/cluster-id"
}

start_node() { # name
  local name="$1" dir pid
  if pid="$(node_pid "$name")"; then return 0; fi
  dir="$(node_dir "$name")"
  rm -f "$(node_pid_file "$name")"
  # shellcheck disable=SC2086,SC2046,SC2016
  nohup setsid bash -c 'echo $$ >"$0"; exec "$@"' "$(node_pid_file "$name")" \
    "$JAVA" $HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true $(java_log_opts "$name") \
    -cp "$LIBS_DIR/*" kafka.Kafka "$dir/server.properties" \
    >>"$dir/kafka.out" 2>&1 </dev/null &
  local _
  for _ in $(seq 1 50); do [[ -s "$(node_pid_file "$name")" ]] && break; sleep 0.1; done
}

stop_node() { # name signal
  local name="$1" signal="${2:-TERM}" pid _
  pid="$(node_pid "$name")" || { rm -f "$(node_pid_file "$name")"; return 0; }
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; sleep 0.5; fi
  rm -f "$(node_pid_file "$name")"
}

# Ready: a running broker answers a metadata request that lists N brokers (default 3); the nodes
# named in WATCH_NODES (default: all six) must keep running meanwhile.
wait_ready() {
  local t0=$SECONDS
  printf 'kafka-cluster: waiting for the brokers on %s ' "$(bootstrap)"
  until node "$SCRIPT_DIR/wait-ready.cjs" "$(bootstrap)" "${1:-3}" >/dev/null 2>&1; do
    local name
    for name in ${WATCH_NODES:-$(nodes)}; do
      if [[ ! -f "$(node_pid_file "$name")" ]] || ! node_pid "$name" >/dev/null; then
        echo
        tail -n 30 "$(node_dir "$name")/server.log" >&2 2>/dev/null || true
        die "$name exited during start-up (logs in $(node_dir "$name"))"
      fi
    done
    if (( SECONDS - t0 >= START_TIMEOUT )); then echo; die "the cluster did not answer within $START_TIMEOUT s"; fi
    printf '.'
    sleep 1
  done
  echo
  log "ready after $((SECONDS - t0)) s: bootstrap $(bootstrap)"
}

broker_name() { # N -> broker-N
  [[ "${1:-}" =~ ^[123]$ ]] || die "name a broker: 1, 2 or 3"
  echo "broker-$1"
}

# Starts one broker and waits until the cluster lists it, whether or not another broker is down.
cmd_start_broker() { # name
  local name="$1" running=() node
  start_node "$name"
  for node in $(nodes); do node_pid "$node" >/dev/null && running+=("$node"); done
  local brokers=0
  for node in "${running[@]}"; do [[ "$node" == broker-* ]] && brokers=$((brokers + 1)); done
  WATCH_NODES="${running[*]}" wait_ready "$brokers"
}

cmd_start() {
  bash "$SCRIPT_DIR/kafka.sh" fetch >/dev/null
  mkdir -p "$DATA_DIR"
  configure_all
  format_all
  local name
  for name in controller-1 controller-2 controller-3 broker-1 broker-2 broker-3; do start_node "$name"; done
  wait_ready 3
}

cmd_stop() {
  local name
  # Brokers first: a broker shutting down asks the controllers to move its leaderships away.
  for name in broker-1 broker-2 broker-3; do stop_node "$name" TERM & done
  wait
  for name in controller-1 controller-2 controller-3; do stop_node "$name" TERM & done
  wait
  log "stopped"
}

cmd_status() {
  local name pid all=0
  for name in $(nodes); do
    if pid="$(node_pid "$name")"; then echo "$name: running (pid $pid)"; else echo "$name: not running"; all=3; fi
  done
  echo "bootstrap: $(bootstrap)"
  return "$all"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_stop; rm -rf "$DATA_DIR"; log "deleted ${DATA_DIR#"$REPO_ROOT"/}" ;;
  kill) stop_node "$(broker_name "${2:-}")" KILL; log "killed $(broker_name "$2") (kill -9)" ;;
  start-broker) cmd_start_broker "$(broker_name "${2:-}")" ;;
  bootstrap) bootstrap ;;
  -h | --help | help | '') sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
