#!/usr/bin/env bash
# IPN webhook throughput/p99 on PostgreSQL next to pgbench's tpcb-like baseline, same machine,
# same run. Usage: bash bench/ipn-vs-pgbench.sh [requests=2000] [concurrency=32]
# Needs: a built app (npm run build), PostgreSQL on 127.0.0.1:5432 (user postgres, trust).
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-2000}
concurrency=${2:-32}
pg="psql -h 127.0.0.1 -U postgres -qtA"
port=3917
data=$(mktemp -d)

$pg -d postgres -c "drop database if exists hq_bench_ipn with (force)" -c "create database hq_bench_ipn" >/dev/null
$pg -d postgres -c "drop database if exists hq_bench_pgbench with (force)" -c "create database hq_bench_pgbench" >/dev/null

echo "== app on PostgreSQL (test mode, sandbox senders), port $port"
PORT=$port DATA_DIR=$data LOG_LEVEL=warn TRUST_PROXY=true RATE_LIMIT_CHECKOUT_PER_MINUTE=100000 RATE_LIMIT_WEBHOOK_PER_MINUTE=1000000 \
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/hq_bench_ipn node dist/main.js >"$data/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 0.2; done

echo "== IPN webhook: $requests signed IPNs, $concurrency concurrent (20 payments; then 20 'finished')"
BENCH_URL="http://127.0.0.1:$port" DATA_DIR=$data npx tsx bench/ipn-throughput.ts "$requests" "$concurrency" 20

echo "== pgbench -b tpcb-like, $concurrency clients, 20 s (scale 10)"
pgbench -h 127.0.0.1 -U postgres -i -s 10 -q hq_bench_pgbench >/dev/null 2>&1
(cd "$data" && pgbench -h 127.0.0.1 -U postgres -b tpcb-like -c "$concurrency" -j 2 -T 20 -l --log-prefix=pgb hq_bench_pgbench 2>/dev/null \
  | grep -E "tps|latency average|number of transactions actually")
# Per-transaction log: the 3rd column is the latency in microseconds.
cat "$data"/pgb.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; printf "pgbench p50 = %.1f ms, p99 = %.1f ms over %d transactions\n", a[int(NR*0.5)]/1000, a[i]/1000, NR}'

kill $app; wait $app 2>/dev/null || true
$pg -d postgres -c "drop database if exists hq_bench_ipn with (force)" -c "drop database if exists hq_bench_pgbench with (force)" >/dev/null
