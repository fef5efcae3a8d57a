#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, broker+controller in one JVM) for development.
# Runs the official org.apache.kafka jars from Maven Central; no Docker, no tarball.
#
#   deploy/local/kafka/kafka.sh fetch    # download broker jars (once) into .cache/
#   deploy/local/kafka/kafka.sh start    # fetch if needed, format once, start, wait until ready
#   deploy/local/kafka/kafka.sh stop     # SIGTERM, wait up to 30 s, then SIGKILL
#   deploy/local/kafka/kafka.sh status   # exit 0 if running, 3 if not
#   deploy/local/kafka/kafka.sh reset    # stop and delete .data/kafka (all topics!)
#   deploy/local/kafka/kafka.sh logs     # tail the broker log
#   deploy/local/kafka/kafka.sh cluster start|stop|status|reset|kill N|start-broker N
#                                        # three controllers + three brokers (kafka-cluster.sh)
#
# Environment (all optional):
#   KAFKA_PORT=9092             client listener (PLAINTEXT://127.0.0.1:$KAFKA_PORT)
#   KAFKA_CONTROLLER_PORT=9093  KRaft controller listener
#   KAFKA_HEAP_OPTS="-Xms256m -Xmx512m"
#   KAFKA_START_TIMEOUT=90      seconds to wait for the broker to answer
#   KAFKA_VERSION               defaults to <kafka.version> in pom.xml
#   KAFKA_DATA_DIR              defaults to <repo>/.data/kafka
#   JAVA_HOME                   java from $JAVA_HOME/bin/java, else `java` on PATH
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_HOST=127.0.0.1
BOOTSTRAP="$KAFKA_HOST:$KAFKA_PORT"
LOG_OFFSET=0   # size of server.log before this start (see metadata_ok)

if [[ -z "${KAFKA_VERSION:-}" ]]; then
  KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1)"
fi
[[ -n "$KAFKA_VERSION" ]] || { echo "kafka.sh: cannot read <kafka.version> from $POM" >&2; exit 1; }

CACHE_DIR="$REPO_ROOT/.cache/kafka/$KAFKA_VERSION"
LIBS_DIR="$CACHE_DIR/libs"
FETCH_MARKER="$LIBS_DIR/.fetch-complete"
M2_REPO="$REPO_ROOT/.cache/m2"

DATA_DIR="${KAFKA_DATA_DIR:-$REPO_ROOT/.data/kafka}"
LOG_DIRS="$DATA_DIR/logs"          # topic data + KRaft metadata log
APP_LOG_DIR="$DATA_DIR"            # server.log (log4j2) lives here
PID_FILE="$DATA_DIR/kafka.pid"
OUT_FILE="$DATA_DIR/kafka.out"
PROPS_FILE="$DATA_DIR/server.properties"
LOG4J_FILE="$DATA_DIR/log4j2.properties"
LOCK_FILE="$DATA_DIR/.lock"

if [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="java"; fi

log() { echo "kafka.sh: $*"; }
die() { echo "kafka.sh: error: $*" >&2; exit 1; }

need_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found ($JAVA); install Java 17+ or set JAVA_HOME"
  local v
  v="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  if [[ -n "$v" && "$v" -lt 17 ]]; then die "Kafka $KAFKA_VERSION needs Java 17+, $JAVA is Java $v"; fi
}

# Serialise start/stop/reset/fetch between concurrent callers. fd 9 is closed for the broker.
take_lock() {
  mkdir -p "$DATA_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK_FILE"
    flock -w 180 9 || die "another kafka.sh is busy (lock $LOCK_FILE)"
  fi
}

# ---------------------------------------------------------------- fetch
fetch_fingerprint() { echo "$KAFKA_VERSION $(sha256sum "$POM" | cut -d' ' -f1)"; }

fetch() {
  if [[ -f "$FETCH_MARKER" && "$(cat "$FETCH_MARKER")" == "$(fetch_fingerprint)" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn (Maven 3.8+) not found; it downloads the Kafka jars from Maven Central"
  need_java
  log "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into ${LIBS_DIR#"$REPO_ROOT"/} ..."
  local t0=$SECONDS tmp="$CACHE_DIR/libs.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp" "$M2_REPO"
  local mvn_log="$CACHE_DIR/fetch.log"
  if ! mvn -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
      "-Dkafka.version=$KAFKA_VERSION" \
      "-DoutputDirectory=$tmp" \
      "-Dmaven.repo.local=$M2_REPO" >"$mvn_log" 2>&1; then
    rm -rf "$tmp"
    grep -E 'ERROR|FAIL' "$mvn_log" | tail -n 20 >&2 || tail -n 20 "$mvn_log" >&2
    die "maven fetch of org.apache.kafka:kafka_2.13:$KAFKA_VERSION failed (full log: $mvn_log)"
  fi
  ls "$tmp"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1 || { rm -rf "$tmp"; die "fetch finished but kafka_2.13-$KAFKA_VERSION.jar is missing"; }
  rm -rf "$LIBS_DIR"; mv "$tmp" "$LIBS_DIR"
  fetch_fingerprint >"$FETCH_MARKER"
  log "fetched $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- helpers
port_open() { # port -> 0 if something accepts TCP connections on 127.0.0.1:port
  timeout 2 bash -c "exec 3<>/dev/tcp/$KAFKA_HOST/$1" 2>/dev/null
}

port_owner() { # best-effort description of who listens on a port
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$1" 2>/dev/null | awk '{print $NF}' | head -n1
  fi
}

our_pid() { # prints the pid of our running broker, or fails
  [[ -f "$PID_FILE" ]] || return 1
  local pid; pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # make sure the pid was not recycled by an unrelated process
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $PROPS_FILE" || return 1
  echo "$pid"
}

broker_log() { echo "$APP_LOG_DIR/server.log"; }

print_log_tail() {
  echo "---- tail of $(broker_log) ----" >&2
  tail -n 40 "$(broker_log)" >&2 2>/dev/null || echo "(no server.log)" >&2
  echo "---- tail of $OUT_FILE ----" >&2
  tail -n 20 "$OUT_FILE" >&2 2>/dev/null || echo "(no kafka.out)" >&2
}

write_config() {
  mkdir -p "$DATA_DIR" "$LOG_DIRS"
  cat >"$PROPS_FILE" <<EOF
# Written by deploy/local/kafka/kafka.sh on every start; edit the script, not this file.
# Single-node KRaft: this JVM is both broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT

log.dirs=$LOG_DIRS

# Topics: auto-created with 3 partitions, one replica.
auto.create.topics.enable=true
delete.topic.enable=true
num.partitions=3
default.replication.factor=1
min.insync.replicas=1

# Retention: keep the full history of every topic (read models are rebuilt by replaying it).
log.retention.ms=-1
log.retention.bytes=-1
# ...and keep committed consumer-group offsets for a year, so a dev box left off for a
# while does not lose its projectors' positions (the default is 7 days).
offsets.retention.minutes=525600

# Internal topics on a single node.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Dev-box timings: no rebalance delay for the first consumer of a group, quick elections.
group.initial.rebalance.delay.ms=0
controller.quorum.election.timeout.ms=1000
controller.quorum.fetch.timeout.ms=2000
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=6000

# Small machine (2 cores).
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF

  cat >"$LOG4J_FILE" <<'EOF'
# Written by deploy/local/kafka/kafka.sh. Broker logs go to ${sys:kafka.logs.dir}/server.log.
status = warn
name = valley-local-kafka

appender.server.type = RollingFile
appender.server.name = server
appender.server.fileName = ${sys:kafka.logs.dir}/server.log
appender.server.filePattern = ${sys:kafka.logs.dir}/server.log.%i
appender.server.layout.type = PatternLayout
appender.server.layout.pattern = [%d] %p %m (%c)%n
appender.server.policies.type = Policies
appender.server.policies.size.type = SizeBasedTriggeringPolicy
appender.server.policies.size.size = 20MB
appender.server.strategy.type = DefaultRolloverStrategy
appender.server.strategy.max = 5

rootLogger.level = INFO
rootLogger.appenderRef.server.ref = server

logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.authorizer.name = kafka.authorizer.logger
logger.authorizer.level = WARN
EOF
}

java_log_opts() {
  echo "-Dlog4j2.configurationFile=$LOG4J_FILE -Dkafka.logs.dir=$APP_LOG_DIR"
}

format_if_needed() {
  if [[ -f "$LOG_DIRS/meta.properties" ]]; then
    return 0
  fi
  local cluster_id
  # shellcheck disable=SC2046
  cluster_id="$("$JAVA" $(java_log_opts) -cp "$LIBS_DIR/*" kafka.tools.StorageTool random-uuid | tail -n1)"
  [[ -n "$cluster_id" ]] || die "StorageTool random-uuid printed nothing"
  log "formatting storage in ${LOG_DIRS#"$REPO_ROOT"/} (cluster id $cluster_id)"
  # shellcheck disable=SC2046
  "$JAVA" $(java_log_opts) -cp "$LIBS_DIR/*" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$PROPS_FILE" >"$DATA_DIR/format.out" 2>&1 \
    || { tail -n 20 "$DATA_DIR/format.out" >&2; die "StorageTool format failed"; }
  echo "$KAFKA_VERSION" >"$DATA_DIR/formatted-with-version"
}

# One metadata round-trip through kafkajs (the client the services use).
metadata_ok() {
  if [[ -d "$REPO_ROOT/node_modules/kafkajs" ]] && command -v node >/dev/null 2>&1; then
    node "$SCRIPT_DIR/wait-ready.cjs" "$BOOTSTRAP" >/dev/null 2>&1
  else
    # No kafkajs yet (npm ci not run): fall back to the broker's own "started" log line,
    # looking only at what was logged since this start (server.log is appended to).
    tail -c +"$((LOG_OFFSET + 1))" "$(broker_log)" 2>/dev/null | grep -q "Kafka Server started"
  fi
}

# ---------------------------------------------------------------- commands
cmd_start() {
  take_lock
  fetch
  need_java

  local pid
  if pid="$(our_pid)"; then
    if port_open "$KAFKA_PORT" && metadata_ok; then
      log "already running (pid $pid), bootstrap $BOOTSTRAP"
      return 0
    fi
    log "broker pid $pid is running but not answering yet; waiting"
    wait_ready "$pid"
    return
  fi
  rm -f "$PID_FILE"

  if port_open "$KAFKA_PORT"; then
    die "port $KAFKA_PORT is already in use by another process ($(port_owner "$KAFKA_PORT")); stop it or set KAFKA_PORT"
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "controller port $KAFKA_CONTROLLER_PORT is already in use by another process ($(port_owner "$KAFKA_CONTROLLER_PORT")); stop it or set KAFKA_CONTROLLER_PORT"
  fi

  write_config
  if [[ -f "$DATA_DIR/formatted-with-version" && "$(cat "$DATA_DIR/formatted-with-version")" != "$KAFKA_VERSION" ]]; then
    log "note: data was formatted by Kafka $(cat "$DATA_DIR/formatted-with-version"), now running $KAFKA_VERSION (use 'reset' if it fails to start)"
  fi
  format_if_needed

  log "starting Kafka $KAFKA_VERSION (KRaft) on $BOOTSTRAP, logs in ${APP_LOG_DIR#"$REPO_ROOT"/}/server.log"
  : >"$OUT_FILE"
  LOG_OFFSET="$(stat -c %s "$(broker_log)" 2>/dev/null || echo 0)"
  # bash writes its own pid and then execs java, so the pid file holds the JVM's pid.
  # setsid: own session, so Ctrl-C in the caller's terminal does not kill the broker.
  # shellcheck disable=SC2086,SC2046,SC2016
  nohup setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" $KAFKA_HEAP_OPTS \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true \
    $(java_log_opts) \
    -cp "$LIBS_DIR/*" kafka.Kafka "$PROPS_FILE" \
    >>"$OUT_FILE" 2>&1 </dev/null 9>&- &

  local _
  for _ in $(seq 1 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || { print_log_tail; die "broker did not start"; }
  wait_ready "$pid"
}

wait_ready() {
  local pid="$1" t0=$SECONDS
  printf 'kafka.sh: waiting for the broker (pid %s) to answer on %s ' "$pid" "$BOOTSTRAP"
  while true; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo
      print_log_tail
      rm -f "$PID_FILE"
      die "broker process exited during start-up"
    fi
    if port_open "$KAFKA_PORT" && metadata_ok; then
      echo
      log "ready after $((SECONDS - t0)) s: bootstrap $BOOTSTRAP (pid $pid)"
      return 0
    fi
    if (( SECONDS - t0 >= KAFKA_START_TIMEOUT )); then
      echo
      print_log_tail
      die "broker did not answer within ${KAFKA_START_TIMEOUT} s (still running as pid $pid; '$0 stop' to stop it)"
    fi
    printf '.'
    sleep 1
  done
}

cmd_stop() {
  take_lock
  local pid
  if ! pid="$(our_pid)"; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local _
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still running after 30 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  local pid
  if pid="$(our_pid)"; then
    local running_version
    running_version="$(tr '\0' '\n' <"/proc/$pid/cmdline" | sed -n 's:.*/\.cache/kafka/\([^/]*\)/libs/\*$:\1:p' | head -n1)"
    if port_open "$KAFKA_PORT"; then
      echo "kafka: running (pid $pid, Kafka ${running_version:-?}), bootstrap $BOOTSTRAP"
    else
      echo "kafka: starting (pid $pid, port $KAFKA_PORT not open yet), bootstrap $BOOTSTRAP"
    fi
    return 0
  fi
  echo "kafka: not running (bootstrap would be $BOOTSTRAP)"
  return 3
}

cmd_reset() {
  cmd_stop
  log "deleting ${DATA_DIR#"$REPO_ROOT"/}"
  rm -rf "$DATA_DIR"
}

cmd_logs() {
  exec tail -n "${LINES_TO_SHOW:-100}" -F "$(broker_log)"
}

usage() {
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

case "${1:-}" in
  cluster) shift; exec bash "$SCRIPT_DIR/kafka-cluster.sh" "$@" ;;
  fetch) take_lock; fetch; log "Kafka $KAFKA_VERSION jars ready in ${LIBS_DIR#"$REPO_ROOT"/}" ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  logs) cmd_logs ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
