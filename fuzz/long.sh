#!/usr/bin/env bash
# Long fuzzing, for developers (not CI): every target of `cargo fuzz list`,
# built once (nightly, ASan), each run until it has executed RUNS inputs
# (default 10 000 000) or for at most MAX_SECONDS (default 3600), two at a
# time; prints each target's executions and stops on the first crash.
#   fuzz/long.sh            # all targets
#   RUNS=20000000 fuzz/long.sh verify shc
set -euo pipefail
cd "$(dirname "$0")"
RUNS=${RUNS:-10000000}
MAX_SECONDS=${MAX_SECONDS:-3600}
python3 make_seeds.py >/dev/null
cargo +nightly fuzz build
cargo +nightly fuzz build --features gdhcn did_document
bin=target/x86_64-unknown-linux-gnu/release
if [ $# -gt 0 ]; then targets="$*"; else targets=$(cargo fuzz list); fi
one() {
  local t=$1
  mkdir -p "corpus/$t" "artifacts/$t"
  "$bin/$t" -runs="$RUNS" -max_total_time="$MAX_SECONDS" -print_final_stats=1 \
    -artifact_prefix="artifacts/$t/" "corpus/$t" >"artifacts/$t.log" 2>&1 \
    || { tail -n 40 "artifacts/$t.log"; echo "$t: FAILED (see fuzz/artifacts/$t)"; return 1; }
  echo "$t: $(sed -n 's/^stat::number_of_executed_units: *//p' "artifacts/$t.log") executions," \
       "$(sed -n 's/^stat::peak_rss_mb: *//p' "artifacts/$t.log") MB peak"
}
set -- $targets
while [ $# -gt 0 ]; do
  one "$1" & a=$!
  b=""
  if [ $# -gt 1 ]; then one "$2" & b=$!; fi
  wait $a
  [ -z "$b" ] || wait $b
  shift; [ $# -gt 0 ] && shift
done
