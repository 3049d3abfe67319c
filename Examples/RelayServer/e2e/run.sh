#!/usr/bin/env bash
# The one command of the end-to-end browser suite of branchtree-relay:
#   set-up (Chromium, the Python venv) → build the server and the simulator → run the suite.
# Arguments go to relay_e2e.py (e.g. --only 1,3, --no-sim). Exits non-zero when a scenario
# failed twice, when a build failed, or when interrupted; every process it started is
# ended on the way out, also on SIGINT and SIGTERM.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RELAY="$(dirname "$HERE")"
ROOT="$(cd "$RELAY/../.." && pwd)"
PIDFILE="$(mktemp "${TMPDIR:-/tmp}/branchtree-e2e-pids.XXXXXX")"
export BRANCHTREE_E2E_PIDFILE="$PIDFILE"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
CHILD=""

# Ends the running step (its own process group: a build's compilers, or the suite, which
# then closes its browser and server itself), then any process group the suite recorded
# that is still there — only if its command line is still the one recorded.
cleanup() {
    if [ -n "$CHILD" ] && kill -0 "$CHILD" 2>/dev/null; then
        kill -TERM -- "-$CHILD" 2>/dev/null || kill -TERM "$CHILD" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.2; done
        kill -KILL -- "-$CHILD" 2>/dev/null
    fi
    CHILD=""
    if [ -s "$PIDFILE" ]; then
        while read -r pid what; do
            [ -n "$pid" ] || continue
            if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$what"; then
                echo "run.sh: killing leftover $what (process group $pid)" >&2
                kill -KILL -- "-$pid" 2>/dev/null
            fi
        done <"$PIDFILE"
    fi
    rm -f "$PIDFILE" "$PIDFILE.tmp"
}
on_signal() {
    trap - INT TERM
    echo "run.sh: interrupted, cleaning up" >&2
    cleanup
    exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap cleanup EXIT

# Runs a step in its own process group, in the background so that a signal is handled at once.
step() {
    setsid "$@" &
    CHILD=$!
    wait "$CHILD"
    local rc=$?
    CHILD=""
    return $rc
}

# E2E_CONFIGURATION=debug reuses the build of the server's unit tests (CI does).
CONFIGURATION="${E2E_CONFIGURATION:-release}"
START=$(date +%s)
echo "run.sh: set-up" >&2
step bash "$HERE/setup.sh" || { echo "run.sh: set-up failed" >&2; exit 2; }

if [ "${E2E_SKIP_BUILD:-0}" = 1 ]; then
    echo "run.sh: E2E_SKIP_BUILD=1: using the binaries as they are" >&2
else
echo "run.sh: building the server (swift build -c $CONFIGURATION --package-path $RELAY --product branchtree-relay)" >&2
step swift build -c "$CONFIGURATION" --package-path "$RELAY" --product branchtree-relay \
    || { echo "run.sh: the server did not build" >&2; exit 2; }

SIM_ARGS=()
if [[ " $* " != *" --no-sim "* ]]; then
    echo "run.sh: building the simulator (swift build -c release --package-path $ROOT --product branchtree-sim)" >&2
    if ! step swift build -c release --package-path "$ROOT" --product branchtree-sim; then
        echo "run.sh: the simulator did not build; the report will have no predictions" >&2
        SIM_ARGS=(--no-sim)
    fi
fi
fi
echo "run.sh: set-up and builds took $(( $(date +%s) - START )) s" >&2

step "$HERE/.venv/bin/python" "$HERE/relay_e2e.py" \
    --server-bin "$RELAY/.build/$CONFIGURATION/branchtree-relay" "${SIM_ARGS[@]}" "$@"
RC=$?
echo "run.sh: done in $(( $(date +%s) - START )) s, exit $RC" >&2
exit $RC
