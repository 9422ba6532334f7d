#!/usr/bin/env bash
# Installs a pinned Node.js into the git-ignored .tools/, idempotently, from the npm registry
# (the `node-<os>-<arch>` packages ship the official `node` binary; no install script, no download
# outside the registry):
#   .tools/node-v<version>/bin/node   the binary
#   .tools/node<major>  ->  node-v<version>   stable name: put .tools/node24/bin first on PATH
# Why: CI and developers test under Node 24 (what users run) as well as under the machine's Node,
# and this environment can only reach package registries.
#
# Usage: scripts/setup-node.sh [--quiet] [--print-bin] [24 | 22 | <exact version>]   (default 24;
#        also `npm run setup:node`)
#        --quiet:     print nothing when the Node is already in place
#        --print-bin: print the absolute bin folder on stdout (for PATH=...), and nothing else there
set -euo pipefail

# The pinned releases: bump here (and in the README's "Supported versions") to move CI's Node.
pin_for() {
  case "$1" in
    24) echo "24.21.0" ;;
    22) echo "22.23.3" ;;
    *) return 1 ;;
  esac
}

quiet=0
print_bin=0
request=24
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=1 ;;
    --print-bin) print_bin=1 ;;
    -*)
      echo "setup-node: error: unknown option $arg" >&2
      exit 2
      ;;
    *) request=$arg ;;
  esac
done

fail() {
  echo "setup-node: error: $*" >&2
  exit 1
}
say() { echo "setup-node: $*" >&2; }
info() { [ "$quiet" = 1 ] || say "$@"; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$repo/.tools"

if [[ "$request" =~ ^[0-9]+$ ]]; then
  version=$(pin_for "$request") || fail "no pinned Node $request: use 24, 22 or an exact version such as 24.21.0"
else
  version=${request#v}
fi
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "not a Node version: $version"
major=${version%%.*}

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) fail "unsupported OS $(uname -s): install Node $version yourself and put it first on PATH" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) fail "unsupported CPU $(uname -m): install Node $version yourself and put it first on PATH" ;;
esac
pkg="node-$os-$arch@$version"

dir="$tools/node-v$version"
link="$tools/node$major"

installed_version() { [ -x "$1/bin/node" ] && "$1/bin/node" --version 2>/dev/null || true; }

mkdir -p "$tools"
if [ "$(installed_version "$dir")" = "v$version" ]; then
  info "node v$version already in .tools/node-v$version"
else
  command -v npm >/dev/null || fail "npm is not on PATH: it fetches $pkg from the npm registry"
  say "installing node v$version from the npm registry ($pkg)"
  start=$(date +%s)
  tmp=$(mktemp -d "$tools/.node-v$version.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # npm pack fetches the tarball through npm's cache and checks it against the registry's integrity.
  tarball=$(cd "$tmp" && npm pack "$pkg" --silent --pack-destination "$tmp" | tail -n1) ||
    fail "could not fetch $pkg from the npm registry"
  tar -xzf "$tmp/$tarball" -C "$tmp"
  [ "$(installed_version "$tmp/package")" = "v$version" ] || fail "$pkg does not contain a working bin/node v$version"
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
  say "installed node v$version in .tools/node-v$version in $(($(date +%s) - start))s"
fi
ln -sfn "node-v$version" "$link"

if [ "$print_bin" = 1 ]; then
  echo "$link/bin"
else
  info "ready: put $link/bin first on PATH to run under Node $version, e.g. PATH=\"\$PWD/.tools/node$major/bin:\$PATH\" npm test"
fi
