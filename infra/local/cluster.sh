#!/usr/bin/env bash
# A Tributary cluster of several silos on this machine, with Redis for membership and grain state.
#
#   infra/local/cluster.sh start [N]      build the Silo, start Redis and N silos (default 3), wait until all are ready;
#                                         topics get 3 replicas and min.insync.replicas 2 (with fewer than 3 silos,
#                                         N replicas and 1), or $TRIBUTARY_REPLICATION_FACTOR / $TRIBUTARY_MIN_INSYNC_REPLICAS
#   infra/local/cluster.sh stop           stop every silo (SIGTERM) and Redis
#   infra/local/cluster.sh status         which silos run, and whether each one is ready (its health probe)
#   infra/local/cluster.sh add            start one more silo (the next broker id)
#   infra/local/cluster.sh kill ID        kill -9 the silo of broker ID (its data directory stays)
#   infra/local/cluster.sh start-silo ID  start the silo of broker ID again over its data directory
#   infra/local/cluster.sh drain ID       retire broker ID: the cluster moves its replicas to the other brokers (REST v3
#                                         DELETE /brokers/ID), then its silo stops once it holds none
#   infra/local/cluster.sh restart-rolling  restart the silos one at a time (SIGTERM: leaderships move first), each
#                                         only once the one before is ready and all its replicas are back in sync
#
# Broker i listens on Kafka 9091+i, Schema Registry 8081+100(i-1), REST Proxy 8082+100(i-1), Connect 8083+100(i-1), health 8090+100(i-1)
# and Orleans silo 11110+i, each plus $TRIBUTARY_PORT_OFFSET (default 0); its data is in
# $TRIBUTARY_CLUSTER_HOME/broker-i (default ./.tributary-cluster). Redis listens on $TRIBUTARY_REDIS_PORT (default
# 6379) and keeps its data there too. Bootstrap servers: localhost:9092,localhost:9093,localhost:9094.
# The Silo is built in $TRIBUTARY_CONFIGURATION (default Release) unless TRIBUTARY_NO_BUILD=1.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
home="$(mkdir -p "${TRIBUTARY_CLUSTER_HOME:-$root/.tributary-cluster}" && cd "${TRIBUTARY_CLUSTER_HOME:-$root/.tributary-cluster}" && pwd)"
redis_port="${TRIBUTARY_REDIS_PORT:-6379}"
configuration="${TRIBUTARY_CONFIGURATION:-Release}"
offset="${TRIBUTARY_PORT_OFFSET:-0}"
silo_dll="$root/Silo/bin/$configuration/net10.0/Tributary.Silo.dll"

pid_of() { cat "$home/broker-$1/silo.pid" 2>/dev/null || true; }
running() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
brokers() { find "$home" -maxdepth 1 -name 'broker-*' -type d | sed 's/.*broker-//' | sort -n; }

start_redis() {
  if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then return; fi
  command -v redis-server >/dev/null || { echo "redis-server is not installed (Debian: apt-get install redis-server)" >&2; exit 1; }
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$home" --appendonly yes --save "" \
    --daemonize yes --pidfile "$home/redis.pid" --logfile "$home/redis.log"
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "Redis did not start; see $home/redis.log" >&2; exit 1
}

kafka_port() { echo $((9091 + $1 + offset)); }
health_port() { echo $((8090 + ($1 - 1) * 100 + offset)); }
rest_port() { echo $((8082 + ($1 - 1) * 100 + offset)); }

# Waits until every replica broker $1 holds is in sync: its /health/in-sync probe, the one a StatefulSet's rolling
# update waits for too, answers 200 (503 names the partitions still catching up).
wait_in_sync() {
  local id="$1" url
  url="http://127.0.0.1:$(health_port "$id")/health/in-sync"
  for _ in $(seq 600); do
    if curl -fs "$url" >/dev/null 2>&1; then echo "broker $id: $(curl -s "$url")"; return; fi
    sleep 1
  done
  echo "broker $id: replicas still out of sync after 10 minutes: $(curl -s "$url")" >&2; exit 1
}

# Retires broker $1 through the REST Proxy of another running broker, waits until it holds no replica, and stops it.
drain() {
  local id="$1" via="" rest cluster
  for other in $(brokers); do
    if [ "$other" != "$id" ] && running "$other"; then via="$other"; break; fi
  done
  [ -n "$via" ] || { echo "no other running broker to ask" >&2; exit 1; }
  rest="http://127.0.0.1:$(rest_port "$via")/v3/clusters"
  cluster="$(curl -fs "$rest" | grep -o '"cluster_id":"[^"]*"' | head -n 1 | cut -d'"' -f4)"
  curl -fs -X DELETE "$rest/$cluster/brokers/$id" >/dev/null || { echo "broker $id could not be retired" >&2; exit 1; }
  echo "broker $id: moving its replicas away"
  for _ in $(seq 3600); do
    if curl -fs "$rest/$cluster/brokers/$id/partition-replicas" | grep -q '"data":\[\]'; then
      kill -TERM "$(pid_of "$id")" 2>/dev/null || true
      for _ in $(seq 300); do running "$id" || break; sleep 0.1; done
      rm -f "$home/broker-$id/silo.pid"
      echo "broker $id holds no replica; stopped"
      return
    fi
    sleep 1
  done
  echo "broker $id still holds replicas after an hour" >&2; exit 1
}

# The cluster's replication defaults, chosen when it starts (from its size) and kept for the silos started later.
replication_setting() {
  cat "$home/replication-$1" 2>/dev/null || echo 1
}

choose_replication() {
  local n="$1" factor min_isr
  factor="${TRIBUTARY_REPLICATION_FACTOR:-$(( n < 3 ? n : 3 ))}"
  min_isr="${TRIBUTARY_MIN_INSYNC_REPLICAS:-$(( factor < 3 ? 1 : 2 ))}"
  echo "$factor" >"$home/replication-factor"
  echo "$min_isr" >"$home/replication-min-isr"
}

start_silo() {
  local id="$1" http=$(( ($1 - 1) * 100 + offset ))
  if running "$id"; then echo "broker $id already runs (pid $(pid_of "$id"))"; return; fi
  mkdir -p "$home/broker-$id"
  (cd "$home/broker-$id" && exec dotnet "$silo_dll" \
      --broker-id "$id" \
      --data-dir "$home/broker-$id/data" \
      --kafka-port "$(kafka_port "$id")" --advertised-host localhost \
      --registry-port $((8081 + http)) --rest-port $((8082 + http)) --connect-port $((8083 + http)) --health-port "$(health_port "$id")" \
      --silo-port $((11110 + id + offset)) --gateway-port 0 --advertised-ip 127.0.0.1 \
      --membership Redis --cluster-connection "127.0.0.1:$redis_port" \
      --default-replication-factor "$(replication_setting factor)" --min-insync-replicas "$(replication_setting min-isr)" \
      >>"$home/broker-$id/silo.log" 2>&1) &
  echo $! >"$home/broker-$id/silo.pid"
  echo "broker $id: pid $!, Kafka localhost:$(kafka_port "$id"), log $home/broker-$id/silo.log"
}

wait_ready() {
  local id="$1" port; port="$(health_port "$1")"
  for _ in $(seq 600); do
    if curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then echo "broker $id ready"; return; fi
    running "$id" || { echo "broker $id exited; see $home/broker-$id/silo.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "broker $id not ready after 60 s; see $home/broker-$id/silo.log" >&2; exit 1
}

case "${1:-}" in
  start)
    count="${2:-3}"
    if [ "${TRIBUTARY_NO_BUILD:-0}" != 1 ]; then dotnet build "$root/Silo/Tributary.Silo.csproj" -c "$configuration" -v quiet -nologo >/dev/null; fi
    start_redis
    choose_replication "$count"
    for id in $(seq "$count"); do start_silo "$id"; done
    for id in $(seq "$count"); do wait_ready "$id"; done
    echo "bootstrap servers: $(for id in $(seq "$count"); do printf 'localhost:%s,' "$(kafka_port "$id")"; done | sed 's/,$//')"
    ;;
  add)
    id=$(( $(brokers | tail -n 1) + 1 ))
    start_silo "$id"; wait_ready "$id"
    ;;
  start-silo)
    start_silo "$2"; wait_ready "$2"
    ;;
  kill)
    pid="$(pid_of "$2")"; [ -n "$pid" ] && kill -9 "$pid" && echo "broker $2 (pid $pid) killed"
    ;;
  drain)
    drain "$2"
    ;;
  restart-rolling)
    for id in $(brokers); do
      running "$id" || continue
      kill -TERM "$(pid_of "$id")"
      for _ in $(seq 300); do running "$id" || break; sleep 0.1; done
      running "$id" && kill -9 "$(pid_of "$id")"
      rm -f "$home/broker-$id/silo.pid"
      start_silo "$id"; wait_ready "$id"; wait_in_sync "$id"
    done
    ;;
  stop)
    for id in $(brokers); do
      if running "$id"; then kill -TERM "$(pid_of "$id")"; fi
    done
    for id in $(brokers); do
      for _ in $(seq 300); do running "$id" || break; sleep 0.1; done
      running "$id" && kill -9 "$(pid_of "$id")"
      rm -f "$home/broker-$id/silo.pid"
    done
    if [ -f "$home/redis.pid" ]; then redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true; rm -f "$home/redis.pid"; fi
    echo "stopped"
    ;;
  status)
    for id in $(brokers); do
      if running "$id"; then
        echo "broker $id: running (pid $(pid_of "$id")), ready: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(health_port "$id")/health/ready")"
      else
        echo "broker $id: stopped"
      fi
    done
    ;;
  *)
    sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2
    ;;
esac
