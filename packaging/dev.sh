#!/usr/bin/env bash
# One entry point for a development machine (Debian or Ubuntu, run as root or with sudo):
#   bash packaging/dev.sh run [kiosk run options]   set up, then run the kiosk on bundled content
#                                                   (its data folder trusts the demo feed's root)
#   bash packaging/dev.sh test [pytest options]     set up, then run lint and the whole test suite
# Setting up installs the Debian packages the kiosk needs (fonts for every script, the libraries
# QtWebEngine links against, a virtual display for headless machines), creates .venv and
# installs the project into it (PyICU is built against Debian's ICU). Steps that are already
# done are skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES=(
  python3 python3-venv python3-pip python3-dev ca-certificates
  g++ pkg-config libicu-dev
  fonts-noto-core fonts-noto-ui-core fonts-noto-cjk fonts-dejavu-core fontconfig
  libnss3 libnspr4 libasound2 libegl1 libgl1 libgbm1 libdrm2 libfontconfig1 libfreetype6
  libglib2.0-0 libdbus-1-3 libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
  libxcb-xfixes0 libxcb-sync1 libxcb-dri3-0 libxkbcommon0 libxkbcommon-x11-0 libxkbfile1
  libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxshmfence1 libxext6 libxfixes3
  xvfb xauth x11-utils  # x11-utils: xwininfo, the full-screen test on a bare X server
  systemd  # systemd-analyze: the tests rate the kiosk service's protections with it
  postgresql  # the hub is tested against a real PostgreSQL server
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

pick_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "No Python 3.11 or newer found; install python3 (3.11+) and run this again." >&2
  return 1
}

install_python_packages() {
  local stamp=.venv/.installed
  local want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -x .venv/bin/python ]; then
    "$(pick_python)" -m venv .venv
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing Python packages into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test]'
    echo "$want" > "$stamp"
  fi
}

# A development kiosk syncs from the demo feed (demo/keys, public): its data folder trusts the
# demo root unless a root is installed already. An installed kiosk trusts no root by default.
trust_demo_root() {
  local state
  state=$(.venv/bin/python -c 'from kiosk.paths import data_dir; from kiosk.sync.trust import trust_state; print(trust_state(data_dir()))')
  if [ "$state" = none ]; then
    echo "Development kiosk: trusting the public demo root (demo/keys/root.json); never on a real kiosk."
    .venv/bin/kiosk trust demo/keys/root.json
  fi
}

command=${1:-}
shift || true
case "$command" in
  run)
    install_debian_packages
    install_python_packages
    trust_demo_root
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "No display found: running the kiosk on a virtual display (xvfb)."
      exec xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/kiosk run "$@"
    fi
    exec .venv/bin/kiosk run "$@"
    ;;
  test)
    install_debian_packages
    install_python_packages
    .venv/bin/ruff check kiosk ui tests benchmarks main.py
    .venv/bin/mypy
    export QT_QPA_PLATFORM=offscreen
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: bash packaging/dev.sh run [--windowed] [--gate ID] | test [pytest options]" >&2
    exit 2
    ;;
esac
