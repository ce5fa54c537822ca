#!/usr/bin/env bash
# What a newcomer does on a fresh clone (issue 8 "Done means"): `npm install && npm start` in the
# background with its output in a log file, wait (bounded) for .m2msec/endpoints.json, run
# `m2msec demo` against it, check the demo passed within the budget (120 s from `npm start`,
# D-184: a from-source `npm install` is timed and bounded on its own), then stop the whole
# `npm start` with SIGINT as Ctrl-C would and require a clean exit: every process of its group
# gone within the bound, status 0, endpoints.json retired.
#
# usage: scripts/newcomer.sh <clone-directory>
# environment (all optional):
#   NEWCOMER_BUDGET_SECONDS          npm start → demo passed (default 120)
#   NEWCOMER_INSTALL_TIMEOUT_SECONDS bound on npm install (default 900)
#   NEWCOMER_STOP_TIMEOUT_SECONDS    bound on the clean stop (default 20)
#   NEWCOMER_LOG_DIR                 where npm-start.log and demo.log go (default: a new temporary directory)
# exit status: 0 all good; 1 a check failed (the log tail is printed); 2 usage.
set -euo pipefail
# Job control: the background job gets its own process group, so everything `npm start` runs can
# be found, waited for and, on any failure, swept together.
set -m

if [[ $# -ne 1 || ! -d $1 ]]; then
  echo "usage: $0 <clone-directory>" >&2
  exit 2
fi
clone=$(cd "$1" && pwd)
budget=${NEWCOMER_BUDGET_SECONDS:-120}
install_bound=${NEWCOMER_INSTALL_TIMEOUT_SECONDS:-900}
stop_bound=${NEWCOMER_STOP_TIMEOUT_SECONDS:-20}
logs=${NEWCOMER_LOG_DIR:-$(mktemp -d -t m2msec-newcomer-XXXXXX)}
mkdir -p "$logs"
start_log=$logs/npm-start.log
demo_log=$logs/demo.log
installed=$logs/installed-at
data=$clone/.m2msec
endpoints=$data/endpoints.json
rm -f "$installed"

say() { printf 'newcomer: %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# Integer comparison of a decimal number of seconds against a bound.
over() { awk -v x="$1" -v bound="$2" 'BEGIN { exit !(x > bound) }'; }

pgid=''
group_alive() { [[ -n $pgid ]] && kill -0 -- "-$pgid" 2>/dev/null; }
fail() {
  say "FAILED: $*"
  if [[ -f $start_log ]]; then
    say "last lines of $start_log:"
    tail -n 40 "$start_log" >&2
  fi
  exit 1
}
# Whatever happens, leave no process of ours behind (only the group this script started).
cleanup() {
  if group_alive; then
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for _ in $(seq 1 20); do group_alive || return 0; sleep 0.25; done
    kill -KILL -- "-$pgid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

[[ -f $endpoints ]] && fail "$endpoints already exists: is an m2msec up running in $clone?"
cd "$clone"
t0=$(now)
say "npm install && npm start in $clone (output: $start_log)"
(npm install && now > "$installed" && exec npm start) > "$start_log" 2>&1 < /dev/null &
pgid=$!

# Wait for the install, then for endpoints.json: each bounded, each failing fast if npm exits.
while [[ ! -f $installed ]]; do
  group_alive || fail "npm install exited before npm start"
  over "$(since "$t0")" "$install_bound" && fail "npm install took more than ${install_bound} s"
  sleep 0.5
done
started=$(cat "$installed")
say "npm install took $(awk -v a="$t0" -v b="$started" 'BEGIN { printf "%.1f", b - a }') s; waiting for $endpoints"
while [[ ! -f $endpoints ]]; do
  group_alive || fail "npm start exited before writing $endpoints"
  over "$(since "$started")" "$budget" && fail "no $endpoints within ${budget} s of npm start"
  sleep 0.25
done
ready=$(since "$started")
say "up is ready ${ready} s after npm start; running m2msec demo"

# The demo runs from the clone's build, never through npx (which could fetch a package named m2msec).
remaining=$(awk -v b="$budget" -v r="$ready" 'BEGIN { x = int(b - r); print (x < 1 ? 1 : x) }')
demo_status=0
timeout --signal=TERM "$remaining" node dist/cli/main.js demo --data-dir "$data" > "$demo_log" 2>&1 || demo_status=$?
cat "$demo_log" >&2
[[ $demo_status -eq 0 ]] || fail "m2msec demo exited $demo_status (124: it outlived the budget)"
elapsed=$(since "$started")
over "$elapsed" "$budget" && fail "the demo passed ${elapsed} s after npm start: over the ${budget} s budget"
say "demo passed ${elapsed} s after npm start (budget ${budget} s)"

# Ctrl-C's SIGINT, delivered to `m2msec up` itself (D-185): npm dies of a signal sent to the whole
# group without waiting for its child (status 130/143 whatever up does), so only this way does the
# status of `npm start` say whether up stopped cleanly. up is the pid endpoints.json names, and
# must belong to our group. The group is still swept (SIGTERM, then SIGKILL) on any exit.
up_pid=$(node -e 'process.stdout.write(String(JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).pid))' "$endpoints")
up_group=$(ps -o pgid= -p "$up_pid" | tr -d ' ')
[[ $up_group == "$pgid" ]] || fail "endpoints.json names pid $up_pid, which is not in the npm start process group $pgid"
kill -INT "$up_pid"
stop_started=$(now)
while group_alive; do
  over "$(since "$stop_started")" "$stop_bound" && fail "npm start did not stop within ${stop_bound} s of SIGINT"
  sleep 0.25
done
status=0
wait "$pgid" || status=$?
pgid=''
[[ $status -eq 0 ]] || fail "npm start exited $status after SIGINT (expected 0)"
[[ ! -f $endpoints ]] || fail "$endpoints is still there after the stop: not retired"
say "npm start stopped cleanly in $(since "$stop_started") s (exit 0, endpoints.json retired); total $(since "$t0") s"
