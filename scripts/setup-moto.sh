#!/usr/bin/env bash
# Installs moto's server, the second (stricter) embedded Cognito of the test suite, idempotently, in the
# git-ignored .tools/moto-venv: a Python 3 venv with a pinned moto and exactly the extras its cognito-idp
# server needs ("server": Flask and friends for moto_server; "cognitoidp": joserfc, for signing tokens).
# test/support/moto.ts starts .tools/moto-venv/bin/moto_server from there.
#
# Usage: scripts/setup-moto.sh [--quiet]  (also `npm run setup:moto`, and part of `npm run setup`)
#        --quiet: print nothing when everything is already in place
set -euo pipefail

# Pinned: the newest moto 5.x on PyPI when this was written, and the one COGNITO-FACTS describes.
# Change the version here only; a venv with another version is brought to this one on the next run.
moto_version="5.2.5"
moto_spec="moto[server,cognitoidp]==$moto_version"
min_python="3.10" # moto 5.2's Requires-Python

quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$repo/.tools/moto-venv"
stamp="$venv/.installed"

fail() {
  echo "setup-moto: error: $*" >&2
  exit 1
}
say() { echo "setup-moto: $*" >&2; }
info() { [ "$quiet" = 1 ] || say "$@"; }

# --- Already in place? The stamp names what was installed; the venv's Python must still run. --------
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$moto_spec" ] && [ -x "$venv/bin/moto_server" ] &&
  "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
  info "moto $moto_version already installed in .tools/moto-venv"
  exit 0
fi

# --- Python 3 with venv and ensurepip (Debian splits them into python3 and python3-venv). ------------
command -v python3 >/dev/null ||
  fail "python3 is not on PATH. Install Python >= $min_python, on Debian/Ubuntu: apt-get install -y python3 python3-venv"
python3 -c "import sys; sys.exit(0 if sys.version_info >= tuple(map(int, '$min_python'.split('.'))) else 1)" ||
  fail "python3 is $(python3 -c 'import platform; print(platform.python_version())'); moto $moto_version needs Python >= $min_python."
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 ||
  fail "python3 cannot create virtual environments (the venv/ensurepip modules are missing).
  On Debian/Ubuntu: apt-get install -y python3-venv"

start=$(date +%s)
rm -f "$stamp"
# A venv whose interpreter no longer runs (Python upgraded or removed) is made anew; otherwise reused.
if ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
  rm -rf "$venv"
  mkdir -p "$repo/.tools"
  python3 -m venv "$venv" || fail "python3 -m venv $venv failed (see above). On Debian/Ubuntu: apt-get install -y python3-venv"
fi
say "installing $moto_spec into .tools/moto-venv (from PyPI; about a minute the first time)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input "$moto_spec" ||
  fail "pip could not install $moto_spec (see above)."
[ -x "$venv/bin/moto_server" ] || fail "pip installed moto but $venv/bin/moto_server is missing."
printf '%s\n' "$moto_spec" >"$stamp"
elapsed=$(($(date +%s) - start))
say "ready: .tools/moto-venv/bin/moto_server (moto $moto_version) in ${elapsed}s"
