#!/usr/bin/env bash
# The main job: bootstrap, build, the self-check that loads both bindings, round-trips
# a document through each and prints the versions and the WASM size; then the
# playground, built and served on 127.0.0.1 until Ctrl+C (PORT picks the port).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/bootstrap.sh
bash scripts/build.sh
say "self-check"
node scripts/self-check.mjs
say "playground: esbuild"
node playground/build.mjs
say "playground: serving until Ctrl+C"
exec node playground/server.mjs --port "${PORT:-8080}"
