#!/usr/bin/env bash
# Builds every part: the WASM and N-API bindings (regenerating their committed
# declarations) and the TypeScript packages.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/build-wasm.sh
bash scripts/build-node.sh
say "typescript: tsc -b"
tsc -b
