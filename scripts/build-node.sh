#!/usr/bin/env bash
# Builds bindings-node to a .node addon with napi-rs's CLI, which also regenerates
# the committed loader (index.js) and declarations (index.d.ts).
source "$(dirname "$0")/lib.sh"
cd "$ROOT/bindings-node"
say "node: napi build --release"
napi build --platform --release --js index.js --dts index.d.ts
say "node: built $(ls -1 ./*.node)"
