#!/usr/bin/env bash
# Set up titlesim on a fresh machine: system packages (CJK fonts, Chromium for the
# browser tests) when we are root on Debian, then a virtual environment in .venv with
# the package and its test tools. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    need=""
    [ -x /usr/bin/chromium ] || need="$need chromium"
    fc-list 2>/dev/null | grep -q "Noto Sans CJK" || need="$need fonts-noto-cjk fontconfig"
    if [ -n "$need" ]; then
        echo "setup: installing Debian packages:$need" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq $need >/dev/null
    fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
if ! .venv/bin/python -c "import uv" 2>/dev/null; then
    .venv/bin/python -m pip install -q --upgrade pip uv
fi
export UV_COMPILE_BYTECODE=1
stamp=.venv/.titlesim-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing titlesim and its dependencies into .venv" >&2
    .venv/bin/python -m uv pip install -q --python .venv/bin/python -e ".[all,test]"
    touch "$stamp"
fi
