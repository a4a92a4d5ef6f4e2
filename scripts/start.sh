#!/usr/bin/env bash
# The main job: bootstrap, build, then the self-check that loads both bindings,
# round-trips a document through each and prints the versions and the WASM size.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/bootstrap.sh
bash scripts/build.sh
say "self-check"
node scripts/self-check.mjs
