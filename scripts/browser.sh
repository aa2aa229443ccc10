#!/usr/bin/env bash
# Makes sure a headless Chromium is available at /usr/bin/chromium for the simulator web-view test
# (tests/integration/simulator-web.test.ts drives it with playwright-core; no browser download from npm).
# Installs the Debian/Ubuntu package "chromium" with apt-get (as root, or through sudo) when missing; otherwise
# says exactly what to install. Idempotent: safe to run before every command.
set -euo pipefail

RC_CHROMIUM="${RC_CHROMIUM:-/usr/bin/chromium}"

say() { printf '[browser] %s\n' "$*" >&2; }
die() { printf '[browser] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}

if [ -x "$RC_CHROMIUM" ]; then
  say "Chromium is at $RC_CHROMIUM"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 ||
  die "no Chromium at $RC_CHROMIUM and no apt-get here: install Chromium so that $RC_CHROMIUM exists, and re-run"
say "installing chromium with apt-get"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null ||
  die "apt-get update failed; install the Debian package chromium yourself (apt-get install chromium) and re-run"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null ||
  die "apt-get install chromium failed; install it yourself (apt-get install chromium) and re-run"
[ -x "$RC_CHROMIUM" ] || die "chromium was installed but $RC_CHROMIUM does not exist; set RC_CHROMIUM to its path"
say "Chromium is at $RC_CHROMIUM"
