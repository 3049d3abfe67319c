#!/usr/bin/env bash
# Idempotent set-up of the end-to-end suite's tools: Debian's Chromium and a Python venv
# with `websockets` (the DevTools protocol client speaks it). Safe to run every time.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

if [ ! -x /usr/lib/chromium/chromium ]; then
    echo "setup: installing chromium (apt)" >&2
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
fi

VENV="$HERE/.venv"
if ! "$VENV/bin/python" -c 'import websockets' >/dev/null 2>&1; then
    echo "setup: creating $VENV with websockets" >&2
    rm -rf "$VENV"
    if ! python3 -m venv "$VENV"; then
        # Debian's own python3 keeps venv (ensurepip) in a package of its own
        echo "setup: python3 -m venv failed; installing python3-venv (apt)" >&2
        rm -rf "$VENV"
        $SUDO apt-get update -q
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-venv
        python3 -m venv "$VENV"
    fi
    "$VENV/bin/pip" install -q 'websockets>=12'
fi
echo "setup: chromium $(/usr/lib/chromium/chromium --version 2>/dev/null | awk '{print $2}'), python $("$VENV/bin/python" -c 'import sys, websockets; print(sys.version.split()[0], "websockets", websockets.__version__)')" >&2
