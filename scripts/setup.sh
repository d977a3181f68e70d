#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (root or sudo) and for every later run:
#   scripts/setup.sh demo   set up, then render every registered scene at preview quality into out/
#   scripts/setup.sh test   set up (plus the headless browser the tests drive), then run the test suite
#   scripts/setup.sh lint   set up, then ruff and mypy
#   scripts/setup.sh style  set up, then ruff only (what CI runs before the tests)
# Each step checks before it acts, so a second run on a ready machine takes a few seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

# What Manim needs to build (cairo, pango, pkg-config, a compiler) and to run (ffmpeg, LaTeX + dvisvgm
# with the standalone class, fonts).
APT_RUNTIME=(
  build-essential pkg-config python3-dev python3-venv libcairo2-dev libpango1.0-dev ffmpeg
  texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm fonts-dejavu-core fonts-lmodern
)
# What the tests need on top: a real headless browser for the embed and gallery checks, and the
# static-site generators the published embeds are built with.
APT_TEST=(chromium chromium-driver hugo jekyll)

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing_packages() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      printf '%s\n' "$pkg"
    fi
  done
}

ensure_apt() {
  command -v dpkg-query >/dev/null || { log "not a Debian system: install ${*} yourself"; return; }
  local missing
  mapfile -t missing < <(missing_packages "$@")
  # python3-dev/python3-venv only matter for Debian's own python3; a python3 that already has
  # headers and venv (pyenv, a container image) does not need them.
  if "$PYTHON" -c 'import venv, ensurepip, sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null; then
    local keep=() pkg
    for pkg in "${missing[@]}"; do
      [[ "$pkg" == python3-dev || "$pkg" == python3-venv ]] || keep+=("$pkg")
    done
    missing=("${keep[@]+"${keep[@]}"}")
  fi
  [ "${#missing[@]}" -eq 0 ] && return
  log "installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_venv() {
  [ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
  # Reinstall only when the project's metadata changed since the last install.
  local stamp="$VENV/.mathreel-installed" want
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing mathreel (editable) with dev extras"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[dev]"
    echo "$want" >"$stamp"
  fi
}

# The MDX embed test compiles a post with @mdx-js/mdx and bundles it with React: the npm packages
# of tests/browser/, exactly as its lockfile pins them (node and npm come with the machine).
ensure_npm() {
  local dir="$ROOT/tests/browser" stamp want
  command -v npm >/dev/null || { log "npm not found: the MDX embed test will be skipped"; return; }
  stamp="$dir/node_modules/.mathreel-installed"
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing the npm packages of tests/browser"
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
}

LINTED=(render scenes tests scripts setup.py assets)

cmd="${1:-}"
shift || true
case "$cmd" in
  demo)
    ensure_apt "${APT_RUNTIME[@]}"
    ensure_venv
    exec "$VENV/bin/mathreel" batch --quality preview "$@"
    ;;
  test)
    ensure_apt "${APT_RUNTIME[@]}" "${APT_TEST[@]}"
    ensure_venv
    ensure_npm
    # One pytest worker per core; a scene's tests stay on one worker (tests/conftest.py), so
    # each scene's shared tiny render is made once.
    exec "$VENV/bin/python" -m pytest --numprocesses auto --dist loadgroup "$@"
    ;;
  style)
    ensure_apt "${APT_RUNTIME[@]}"
    ensure_venv
    "$VENV/bin/ruff" check "${LINTED[@]}"
    exec "$VENV/bin/ruff" format --check "${LINTED[@]}"
    ;;
  lint)
    ensure_apt "${APT_RUNTIME[@]}"
    ensure_venv
    "$VENV/bin/ruff" check "${LINTED[@]}"
    "$VENV/bin/ruff" format --check "${LINTED[@]}"
    exec "$VENV/bin/mypy" render scenes
    ;;
  *)
    echo "usage: scripts/setup.sh demo|test|lint|style [args passed on]" >&2
    exit 2
    ;;
esac
