#!/usr/bin/env bash
# Makes the Pulumi CLI usable offline for this repo, idempotently, in the git-ignored .tools/:
#   .tools/bin/pulumi                        the CLI: built from the Go module proxy (tools/pulumi-cli),
#                                            or a link to a compatible `pulumi` already on PATH
#   .tools/bin/pulumi-language-nodejs        our Node.js language host (tools/pulumi-language-nodejs)
#   .tools/bin/pulumi-resource-pulumi-nodejs launcher for dynamic providers
# Why: the official installer downloads release binaries, which this environment cannot reach,
# and the module proxy refuses Pulumi's own Node.js language host.
#
# Usage: scripts/setup-pulumi.sh [--quiet]  (also `npm run setup:pulumi`)
#        --quiet: print nothing when everything is already in place (used by scripts/pulumiEnv.ts)
# Env:   PULUMI_SETUP_IGNORE_PATH=1     always use/build our own CLI, never one found on PATH
set -euo pipefail

quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$repo/.tools"
bin="$tools/bin"
cli_module="$repo/tools/pulumi-cli"
host_src="$repo/tools/pulumi-language-nodejs"

fail() {
  echo "setup-pulumi: error: $*" >&2
  exit 1
}
say() { echo "setup-pulumi: $*" >&2; }
# Progress that only matters when nothing had to be done; silenced by --quiet.
info() { [ "$quiet" = 1 ] || say "$@"; }

# --- Versions: the CLI must be the same major as the installed @pulumi/pulumi SDK and not older. -----
# A CLI drives SDKs of its own release and older ones (the engine negotiates features with the SDK),
# not newer ones. tools/pulumi-cli/go.mod pins the CLI at the release of the newest SDK the project
# tests (package.json); a leg that tests an older SDK (.ci/run on Node 20) uses the same CLI.
sdk_pkg="$repo/node_modules/@pulumi/pulumi/package.json"
[ -f "$sdk_pkg" ] || fail "$sdk_pkg not found: run 'npm ci' first"
command -v node >/dev/null || fail "node is not on PATH"
sdk_version=$(node -p 'require(process.argv[1]).version' "$sdk_pkg")
# The locked @pulumi/pulumi is the newest release, which may need a newer Node than the one running.
sdk_node=$(node -p 'require(process.argv[1]).engines?.node ?? ""' "$sdk_pkg")
if node -e 'const m = /^>=\s*(\d+)/.exec(process.argv[1]); process.exit(m && +process.versions.node.split(".")[0] < +m[1] ? 0 : 1)' "$sdk_node"; then
  say "warning: @pulumi/pulumi $sdk_version needs Node $sdk_node, this is $(node --version). Use Node 24 (npm run setup:node,
  then PATH=\"$tools/node24/bin:\$PATH\"), or install the lowest tested release, which supports Node 20:
  npm install --no-save @pulumi/pulumi@$(node -p 'require(process.argv[1]).peerDependencies["@pulumi/pulumi"].match(/>=(\S+)/)?.[1] ?? "?"' "$repo/package.json")"
fi
# go.mod pins the CLI as `require github.com/pulumi/pulumi/pkg/v3 vX.Y.Z` (single or block form).
gomod_version=$(sed -nE 's#^[[:space:]]*(require[[:space:]]+)?github\.com/pulumi/pulumi/pkg/v3[[:space:]]+(v[^[:space:]]+).*#\2#p' \
  "$cli_module/go.mod" | head -n1)
[ -n "$gomod_version" ] || fail "cannot find the github.com/pulumi/pulumi/pkg/v3 requirement in $cli_module/go.mod"

# True if version $1 is the same major as $2 and not older (a CLI may drive older SDKs, not the reverse).
compatible() {
  [ -n "$1" ] || return 1
  node -e '
    const p = (v) => v.replace(/^v/, "").split(/[-+]/)[0].split(".").map(Number);
    const [a, b] = [p(process.argv[1]), p(process.argv[2])];
    const ge = a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] >= b[2]));
    process.exit(ge ? 0 : 1);' "$1" "$2"
}

if ! compatible "$gomod_version" "$sdk_version"; then
  fail "version mismatch: tools/pulumi-cli/go.mod pins github.com/pulumi/pulumi/pkg/v3 $gomod_version, older than node_modules/@pulumi/pulumi $sdk_version.
  A CLI cannot drive a newer SDK: set pkg/v3 and sdk/v3 to v$sdk_version (or newer) in tools/pulumi-cli/go.mod, run 'go mod tidy' there, and commit go.mod + go.sum."
fi
# The CLI to build; a CLI found on PATH only needs to be compatible with the SDK.
want="$gomod_version"

mkdir -p "$bin" "$tools/pulumi-home"

# Prints the version a pulumi binary reports, or nothing if it cannot run.
cli_version() { PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME="$tools/pulumi-home" "$1" version 2>/dev/null | tr -d '[:space:]' || true; }

# --- 1. The CLI. ---------------------------------------------------------------------------------
source_kind=""
if [ -f "$bin/pulumi" ] && [ ! -L "$bin/pulumi" ] && [ "$(cli_version "$bin/pulumi")" = "$want" ]; then
  source_kind="built"
  info "pulumi $want already built at .tools/bin/pulumi"
fi

if [ -z "$source_kind" ] && [ "${PULUMI_SETUP_IGNORE_PATH:-}" != "1" ]; then
  # Look on PATH without our own bin dir, so a stale link there is not mistaken for a system CLI.
  path_wo_tools=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$bin" | paste -sd: -)
  if ambient=$(PATH="$path_wo_tools" command -v pulumi); then
    ambient_version=$(cli_version "$ambient")
    if compatible "$ambient_version" "$sdk_version"; then
      ln -sfn "$ambient" "$bin/pulumi"
      source_kind="path"
      info "using pulumi $ambient_version found on PATH at $ambient (SDK is v$sdk_version)"
    else
      say "ignoring pulumi ${ambient_version:-<unknown version>} at $ambient: need v$sdk_version or a newer 3.x"
    fi
  fi
fi

if [ -z "$source_kind" ]; then
  command -v go >/dev/null ||
    fail "the Go toolchain ('go') is not on PATH. It is needed once to build the Pulumi CLI $want from
  tools/pulumi-cli (Go >= $(sed -nE 's/^go[[:space:]]+([0-9.]+).*/\1/p' "$cli_module/go.mod")). Install Go, or put a pulumi >= v$sdk_version on PATH."
  say "building pulumi $want from tools/pulumi-cli (a cold build takes several minutes; Go caches make rebuilds fast)"
  start=$(date +%s)
  rm -f "$bin/pulumi"
  # -ldflags -X sets the version `pulumi version` and the engine report; a plain `go build` leaves it
  # empty. -s -w drops debug info: a smaller binary and a much faster link.
  (cd "$cli_module" && go build -o "$bin/pulumi.tmp" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$want" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) ||
    fail "go build of the Pulumi CLI failed (see above). If go.sum is missing entries, run 'go mod tidy' in tools/pulumi-cli."
  mv "$bin/pulumi.tmp" "$bin/pulumi"
  elapsed=$(($(date +%s) - start))
  source_kind="built"
  say "built pulumi $(cli_version "$bin/pulumi") in $((elapsed / 60))m$((elapsed % 60))s"
fi

# --- 2. Language host and dynamic-provider launcher. ----------------------------------------------
# The engine prefers plugins on PATH and otherwise looks next to the real pulumi binary. A real
# Pulumi install ships both plugins next to its binary: then ours must NOT shadow them on PATH.
real_cli_dir=$(dirname "$(readlink -f "$bin/pulumi")")
for plugin in pulumi-language-nodejs pulumi-resource-pulumi-nodejs; do
  if [ "$source_kind" = "path" ] && [ -x "$real_cli_dir/$plugin" ]; then
    rm -f "$bin/$plugin"
    info "using $plugin bundled with $real_cli_dir/pulumi"
    continue
  fi
  # A small wrapper file rather than a symlink: the engine warns when the plugin it finds on PATH
  # resolves to somewhere other than next to the pulumi binary.
  case "$plugin" in
    pulumi-language-nodejs) target='exec node "$here/../../tools/pulumi-language-nodejs/pulumi-language-nodejs.js" "$@"' ;;
    *) target='exec "$here/../../tools/pulumi-language-nodejs/pulumi-resource-pulumi-nodejs" "$@"' ;;
  esac
  wrapper=$(printf '#!/bin/sh\n# Generated by scripts/setup-pulumi.sh: runs the repo'"'"'s %s.\nhere=$(dirname "$0")\n%s\n' "$plugin" "$target")
  if [ ! -f "$bin/$plugin" ] || [ "$(cat "$bin/$plugin")" != "$wrapper" ]; then
    printf '%s\n' "$wrapper" >"$bin/$plugin"
    chmod +x "$bin/$plugin"
  fi
done
[ -f "$host_src/pulumi-language-nodejs.js" ] || fail "missing $host_src/pulumi-language-nodejs.js"

info "ready: .tools/bin/pulumi $(cli_version "$bin/pulumi") ($source_kind) for @pulumi/pulumi $sdk_version; run the CLI with 'npm run pulumi -- <args>'"
