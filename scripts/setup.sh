#!/usr/bin/env bash
# Set up titlesim on a fresh machine: system packages (CJK fonts, Chromium for the
# browser tests) when we are root on Debian, then a virtual environment in .venv with
# the package, all its extras and its test tools. Idempotent: a second run only checks
# and installs nothing. Says what it does on stderr (TITLESIM_LANG=en for English).
set -euo pipefail
cd "$(dirname "$0")/.."

say() {  # say 中文 English
    if [ "${TITLESIM_LANG:-zh}" = en ]; then echo "setup: $2" >&2; else echo "环境准备：$1" >&2; fi
}

# 1. Debian packages. fc-list's output is read whole: "fc-list | grep -q" under pipefail
# fails when grep stops reading early (fc-list dies of SIGPIPE), although the fonts are there.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    need=""
    [ -x /usr/bin/chromium ] || need="$need chromium"
    fonts=$(fc-list : family 2>/dev/null || true)
    case "$fonts" in
        *"Noto Sans CJK"*) ;;
        *) need="$need fonts-noto-cjk fontconfig" ;;
    esac
    if [ -n "$need" ]; then
        say "[1/3] 安装系统软件包：$need（约1–2分钟）" "[1/3] installing Debian packages:$need (1-2 minutes)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq $need >/dev/null
    else
        say "[1/3] 系统软件包（中文字体、Chromium）已齐全" "[1/3] Debian packages (CJK fonts, Chromium) already there"
    fi
else
    say "[1/3] 非 root 或非 Debian：跳过系统软件包（中文字体请自行安装）" \
        "[1/3] not root on Debian: system packages skipped (install CJK fonts yourself)"
fi

# 2. The virtual environment and uv.
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    say "[2/3] 建立虚拟环境 .venv" "[2/3] making the virtual environment .venv"
    "$PY" -m venv .venv
    fresh=1
else
    say "[2/3] 虚拟环境 .venv 已存在" "[2/3] virtual environment .venv already there"
    fresh=0
fi
if ! .venv/bin/python -c "import uv" 2>/dev/null; then
    say "      安装 uv（安装工具）" "      installing uv (the installer)"
    .venv/bin/python -m pip install -q --upgrade pip uv
fi

# 3. titlesim with every extra and the test tools, again only when pyproject.toml changed
# (its hash, not its time: a git checkout touches the time without changing a dependency).
export UV_COMPILE_BYTECODE=1
stamp=.venv/.titlesim-installed
wanted=$(.venv/bin/python -c "import hashlib,sys; print(hashlib.sha256(open('pyproject.toml','rb').read()).hexdigest())")
if [ "$fresh" = 1 ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    say "[3/3] 安装 titlesim 及全部依赖（首次约3分钟）" "[3/3] installing titlesim and all its dependencies (about 3 minutes the first time)"
    .venv/bin/python -m uv pip install --python .venv/bin/python -e ".[all,test]"   # uv reports what it installs
    echo "$wanted" > "$stamp"
    say "      完成。启用：source .venv/bin/activate" "      done. Activate with: source .venv/bin/activate"
else
    say "[3/3] titlesim 及其依赖已是最新，无需安装" "[3/3] titlesim and its dependencies are up to date: nothing to install"
fi

# 4. titlesim's own bytecode. uv compiles the dependencies' (UV_COMPILE_BYTECODE) but not an
# editable package's, and where PYTHONDONTWRITEBYTECODE is set Python never writes it either:
# then every process that imports titlesim (each test worker, command run in a subprocess,
# notebook kernel, Dask worker, served page) compiles its source again, 0.1-0.25 CPU-s each.
# compileall writes the .pyc files all the same (into __pycache__, which git ignores). Only
# the files changed since the last run are compiled again (a run with none changed: 0.05 s);
# Python ignores a .pyc whose source has changed since, so a stale one is never used.
.venv/bin/python -m compileall -q titlesim >/dev/null 2>&1 || true  # no .pyc only costs time
# The test modules' too, as pytest rewrites them (scripts/compile_tests.py): on a fresh clone
# every test worker would otherwise rewrite the same modules at once.
.venv/bin/python scripts/compile_tests.py >/dev/null 2>&1 || true

# 5. The engine's compiled passes (numba) are compiled here and cached on disk, so that the
# first what-if page or large run does not stop for it. Their machine code is cached per
# version of the package's source (titlesim/compiled_cache.py), so after any change to the
# code it is compiled again: once here (about half a minute) rather than in every process
# that first runs them (a test run starts several at once). When this code's cache is
# complete, this only checks (0.6 s).
.venv/bin/python - <<'PY' || true  # a failure here only leaves the compiling to later
import os
import sys

from titlesim.compiled_cache import use_keyed_folder

folder = use_keyed_folder()
if folder is not None and not (folder / ".titlesim-complete").exists():
    zh = os.environ.get("TITLESIM_LANG", "zh") != "en"
    again = any(other != folder for other in folder.parent.glob("numba-*"))
    if again:
        print("环境准备：      代码有改动，重新编译引擎的加速代码（约半分钟）" if zh else
              "setup:       the code changed: compiling the engine's fast passes again (about half a minute)",
              file=sys.stderr)
    else:
        print("环境准备：      编译引擎的加速代码（约半分钟，只需一次）" if zh else
              "setup:       compiling the engine's fast passes (about half a minute, once)",
              file=sys.stderr)
    from titlesim.ui.engine import use_compiled
    loading = use_compiled()
    if loading is not None:
        loading.join()
        (folder / ".titlesim-complete").touch()
PY
