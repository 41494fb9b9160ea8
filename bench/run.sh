#!/usr/bin/env bash
# Benchmark Knowhow's pages over HTTP the way the Askbot reference benchmark does
# (../shared/bench/askbot/bench.sh): gunicorn with 2 sync workers on 127.0.0.1,
# a 20-request sequential curl median and wrk (2 threads, 8 connections, 20 s)
# for each page, anonymous and logged in, then the workers' RSS.
#
# Seed first (bench/seed.py), then, from the project root:
#   LABEL=1k  bash bench/run.sh     # DB /tmp/knowhow-bench/knowhow-1k.db
#   LABEL=10k bash bench/run.sh     # results in /tmp/knowhow-bench/results-<LABEL>
# Settings (environment): APP_DIR, DB, SEED_PREFIX, OUT, MODES ("anon logged"; "anoncookie"
# re-sends one anonymous session cookie), DUR, CONN, PORT, QUIET_LOAD, QUIET_CPU,
# QUIET_MAX_WAIT, SCENARIO_WAIT, ATTEMPTS, OTHER_MAX (see below).
#
# The server runs on a copy of the seeded database ($OUT/knowhow.db), so view
# counts and last-seen times written by the traffic never touch the seeded file.
# Before measuring, it waits (at most QUIET_MAX_WAIT seconds) for the 1-minute load
# average to drop below QUIET_LOAD with fewer than QUIET_CPU cores busy, and
# records the load at start and end.
# The machine is shared: a page whose wrk run saw other programs take more than
# OTHER_MAX of the CPU is measured again (at most ATTEMPTS times; the last counts).
# Outputs: results.tsv (the Askbot columns), load.tsv (load average around each
# wrk run, and where the machine's CPU time went during it: gunicorn, wrk, other),
# run_info.tsv, rss.txt, wrk_<page>_<auth>.txt, gunicorn.log.
# Traffic goes to 127.0.0.1 only; every loop is bounded.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV=${VENV:-$ROOT/.venv}
# The app code to serve. Other people edit the working tree while benchmarks run;
# pass a copy (bench/snapshot.sh) to measure one fixed version of the code.
APP_DIR=${APP_DIR:-$ROOT}
PORT=${PORT:-18081}
DUR=${DUR:-20s}
CONN=${CONN:-8}
LABEL=${LABEL:-1k}
DB=${DB:-/tmp/knowhow-bench/knowhow-$LABEL.db}
SEED_PREFIX=${SEED_PREFIX:-/tmp/knowhow-bench/seed$LABEL}
OUT=${OUT:-/tmp/knowhow-bench/results-$LABEL}
MODES=${MODES:-anon logged}
QUIET_LOAD=${QUIET_LOAD:-1.0}
QUIET_MAX_WAIT=${QUIET_MAX_WAIT:-1200}
QUIET_CPU=${QUIET_CPU:-0.10}
SCENARIO_WAIT=${SCENARIO_WAIT:-180}
ATTEMPTS=${ATTEMPTS:-3}       # measurements of a page when others disturb it
OTHER_MAX=${OTHER_MAX:-0.10}  # share of the busy CPU others may take
PAGES="list question home tags api_question"
BASE="http://127.0.0.1:$PORT"
# A bench-only secret: the sessions it signs live only as long as this run.
export FORUM_SECRET_KEY=knowhow-bench-only-secret
export FORUM_DATABASE_URL="sqlite:///$OUT/knowhow.db"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -f "$DB" ] || { echo "no seeded database at $DB (run bench/seed.py)" >&2; exit 1; }
mkdir -p "$OUT"
rm -f "$OUT"/knowhow.db "$OUT"/knowhow.db-wal "$OUT"/knowhow.db-shm
cp "$DB" "$OUT/knowhow.db"

load1() { cut -d' ' -f1 /proc/loadavg; }
# CPU seconds: the whole machine busy (/proc/stat), and gunicorn master+workers.
busy_s() { awk '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / 100 }' /proc/stat; }
gunicorn_s() {
  local pids t=0 p
  pids="$GPID $(ps -o pid= --ppid "$GPID")"
  for p in $pids; do
    t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  awk -v t="$t" 'BEGIN { printf "%.2f", t / 100 }'
}
info() { printf "%s\t%s\n" "$1" "$2" >> "$OUT/run_info.tsv"; echo "$1: $2"; }
: > "$OUT/run_info.tsv"

# ---- wait for a quiet machine (bounded), then note how quiet it is.
# Quiet: 1-minute load below QUIET_LOAD and, over a 10 s sample, less than
# QUIET_CPU cores busy (one other busy process can keep the load just under 1.0).
busy_cores() {  # cores busy on average over the next $1 seconds
  local b0 b1
  b0=$(busy_s); sleep "$1"; b1=$(busy_s)
  awk -v a="$b0" -v b="$b1" -v t="$1" 'BEGIN { printf "%.2f", (b - a) / t }'
}
cpu_quiet() {
  awk -v c="$(busy_cores "$1")" -v m="$QUIET_CPU" 'BEGIN { exit !(c < m) }'
}
is_quiet() {
  awk -v l="$(load1)" -v q="$QUIET_LOAD" -v c="$(busy_cores "$1")" -v m="$QUIET_CPU" \
    'BEGIN { exit !(l < q && c < m) }'
}
waited=0
until is_quiet 10; do
  waited=$((waited + 10))
  if [ "$waited" -ge "$QUIET_MAX_WAIT" ]; then break; fi
  echo "not quiet (load $(load1)), waiting ($waited s so far)"
done
quiet=$(is_quiet 10 && echo yes || echo NO)
info dataset "$LABEL ($DB)"
info started "$(date -u +%FT%TZ)"
info waited_for_quiet_s "$waited"
info quiet_at_start "$quiet (1-min load below $QUIET_LOAD, under $QUIET_CPU cores busy)"
info loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"
info machine "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME")"
info app_dir "$APP_DIR"
info code_sha "$(bash "$HERE/snapshot.sh" --sha "$APP_DIR")"
info software "$("$VENV/bin/python" -c 'import sys, sqlite3; print("Python", sys.version.split()[0], "SQLite", sqlite3.sqlite_version)'), $("$VENV/bin/gunicorn" --version | tr -d "()"), $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"

# ---- URL sets
N=$(wc -l < "$SEED_PREFIX"_paths.txt)
# 50 questions spread evenly over the dataset, as the Askbot benchmark rotates.
awk -v n="$N" 'NR % int((n/50) > 1 ? n/50 : 1) == 1' "$SEED_PREFIX"_paths.txt \
  | head -50 > "$OUT/paths_question.txt"
sed 's#^/questions/\([0-9]*\)/.*#/api/v1/questions/\1#' "$OUT/paths_question.txt" \
  > "$OUT/paths_api_question.txt"
# 20 list pages spread evenly over all pages (50 questions a page).
awk -v n="$N" 'BEGIN { p = int((n + 49) / 50); for (i = 0; i < 20 && i < p; i++)
  print "/questions?page=" (1 + int(i * p / 20)) }' > "$OUT/paths_list.txt"
echo "/" > "$OUT/paths_home.txt"
echo "/tags" > "$OUT/paths_tags.txt"

# ---- start gunicorn; stop it by PID whatever happens
cd "$APP_DIR"
"$VENV/bin/gunicorn" -w 2 -k sync -b "127.0.0.1:$PORT" --pythonpath "$APP_DIR" \
  --pid "$OUT/gunicorn.pid" --error-logfile "$OUT/gunicorn.log" \
  --no-control-socket wsgi:app &
GPID=$!
trap 'kill "$GPID" 2>/dev/null || true; wait "$GPID" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf -o /dev/null "$BASE/healthz" && break; sleep 1; done
curl -sf -o /dev/null "$BASE/healthz" || { echo "gunicorn did not start" >&2; exit 1; }

# ---- logged-in session of user0001 through the login form (CSRF is on)
JAR="$OUT/cookies.txt"
rm -f "$JAR"
login_page=$(curl -s -c "$JAR" "$BASE/login")
csrf=$(sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' <<< "$login_page" | head -1)
curl -s -o /dev/null -b "$JAR" -c "$JAR" "$BASE/login" \
  --data-urlencode "csrf_token=$csrf" --data-urlencode "email=user0001@example.com" \
  --data-urlencode "password=benchpass"
LOGGED_COOKIE="session=$(awk '$6 == "session" { print $7 }' "$JAR" | tail -1)"
# (grep on a variable: with pipefail, grep -q closing a curl pipe would fail it)
home_page=$(curl -s -H "Cookie: $LOGGED_COOKIE" "$BASE/")
if grep -q "Log out" <<< "$home_page"; then
  echo "logged-in session OK"
else
  echo "logged-in session FAILED" >&2; exit 1
fi
# One anonymous session, for MODES=anoncookie (a browser re-sends its cookie).
anon_sid=$(curl -s -D - -o /dev/null "$BASE/" \
  | sed -n 's/^[Ss]et-[Cc]ookie: session=\([^;]*\).*/\1/p' | tr -d '\r')
ANON_COOKIE="session=$anon_sid"
info anonymous_get_sets_session_cookie "$([ -n "$anon_sid" ] && echo yes || echo no)"

# ---- warm-up: both workers load templates and the database pages
for f in $PAGES; do
  while read -r p; do for _ in 1 2; do
    curl -s -o /dev/null "$BASE$p"; curl -s -o /dev/null -H "Cookie: $LOGGED_COOKIE" "$BASE$p"
  done; done < <(head -10 "$OUT/paths_$f.txt")
done

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

RES="$OUT/results.tsv"
printf "scenario\tauth\tcurl_median_ms\twrk_rps\twrk_p50_ms\twrk_p99_ms\twrk_requests\twrk_non2xx\twrk_sock_err\tbytes\n" > "$RES"
printf "scenario\tauth\tattempt\twaited_s\tload1_before\tload1_after\tcpu_busy_s\tcpu_gunicorn_s\tcpu_wrk_s\tcpu_other_s\n" \
  > "$OUT/load.tsv"
for auth in $MODES; do
  case "$auth" in
    logged) C="$LOGGED_COOKIE" ;;
    anoncookie) C="$ANON_COOKIE" ;;
    *) C="" ;;
  esac
  if [ -n "$C" ]; then HDR=(-H "Cookie: $C"); else HDR=(); fi
  export WRK_COOKIE="$C"
  for f in $PAGES; do
    mapfile -t P < "$OUT/paths_$f.txt"
    for attempt in $(seq 1 "$ATTEMPTS"); do
      # Let other programs' bursts pass first (bounded). Only the CPU counts
      # here: our own previous wrk run keeps the load average up.
      w=0
      until cpu_quiet 5 || [ "$w" -ge "$SCENARIO_WAIT" ]; do w=$((w + 5)); done
      before=$(load1)
      # single-request latency: median of 20 sequential curls over the same paths
      med=$(for i in $(seq 0 19); do
        curl -s -o /dev/null "${HDR[@]}" -w '%{time_total}\n' "$BASE${P[$((i % ${#P[@]}))]}"
      done | median | awk '{ printf "%.1f", $1 * 1000 }')
      bytes=$(curl -s "${HDR[@]}" "$BASE${P[0]}" | wc -c)
      busy0=$(busy_s); g0=$(gunicorn_s)
      WRK_PATHS="$OUT/paths_$f.txt" /usr/bin/time -f "%U %S" -o "$OUT/wrk_cpu.txt" \
        wrk -t2 -c"$CONN" -d"$DUR" --latency -s "$HERE/rotate_paths.lua" "$BASE" \
        > "$OUT/wrk_${f}_${auth}.txt" 2>&1
      busy1=$(busy_s); g1=$(gunicorn_s)
      # "other" is CPU used by anything else on the machine while wrk ran.
      row=$(awk -v f="$f" -v a="$auth" -v n="$attempt" -v wt="$w" -v l0="$before" \
        -v l1="$(load1)" -v b0="$busy0" -v b1="$busy1" -v g0="$g0" -v g1="$g1" \
        -v w="$(awk '{ print $1 + $2 }' "$OUT/wrk_cpu.txt")" \
        'BEGIN { printf "%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%.1f\t%.1f\t%.1f\n",
                 f, a, n, wt, l0, l1, b1 - b0, g1 - g0, w, (b1 - b0) - (g1 - g0) - w }')
      echo "$row" >> "$OUT/load.tsv"
      # Measure again when other programs took more than OTHER_MAX of the CPU.
      if awk -v r="$row" -v m="$OTHER_MAX" 'BEGIN { split(r, x, "\t");
           exit !(x[7] > 0 && x[10] / x[7] >= m) }'; then
        echo "$f $auth: other programs took CPU during attempt $attempt"
      else
        break
      fi
    done
    j=$(grep '^{' "$OUT/wrk_${f}_${auth}.txt" | tail -1)
    "$VENV/bin/python" - "$f" "$auth" "$med" "$bytes" "$j" >> "$RES" <<'EOF'
import json, sys
f, auth, med, nbytes, j = sys.argv[1:6]
d = json.loads(j)
print("\t".join(map(str, [f, auth, med, "%.1f" % d["rps"], "%.1f" % d["p50_ms"],
                          "%.1f" % d["p99_ms"], d["requests"], d["non2xx"],
                          d["sock_errors"], nbytes])))
EOF
    tail -1 "$RES"
  done
done

# ---- memory per worker (RSS, after the load)
{
  echo "master+workers RSS (KiB):"
  ps -o pid,ppid,rss,args --ppid "$GPID" -p "$GPID" | cat
} | tee "$OUT/rss.txt"
info loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
info finished "$(date -u +%FT%TZ)"
echo "results: $RES"
