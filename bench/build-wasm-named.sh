#!/usr/bin/env bash
# Builds the WASM binding for Node as scripts/build-wasm.sh does, but keeping
# function names (cargo's strip off, wasm-opt -g, imports not renamed), into
# <out>, laid out like bindings-wasm/ for bench/profile.mjs, bench/ab.mjs and
# bench/count.mjs. For profiles only: the names make the module larger.
#   bash bench/build-wasm-named.sh <out>
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
OUT="${1:?usage: bash bench/build-wasm-named.sh <out>}"
RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTFLAGS="-C linker=wasm-ld -Zlocation-detail=none --cfg weft_wasm_speed -C llvm-args=-inlinehint-threshold=500" \
  CARGO_PROFILE_RELEASE_WASM_PANIC=immediate-abort CARGO_PROFILE_RELEASE_WASM_STRIP=false \
  /usr/bin/cargo build --profile release-wasm --target wasm32-unknown-unknown \
  -Zpanic-immediate-abort -Zbuild-std=std,panic_abort \
  -Zbuild-std-features=optimize_for_size -p weft-wasm
WASM="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release-wasm/weft_wasm.wasm"
rm -rf "$OUT"
mkdir -p "$OUT/pkg/node"
cp bindings-wasm/node.js bindings-wasm/install.js bindings-wasm/package.json "$OUT/"
# cargo's strip (on in the shipped build) also drops the target-features section,
# and wasm-bindgen then writes its glue without externref or multi-value returns:
# drop that section here too, or the names build gets the other ABI (externref
# shims, a different glue) than the one that ships (docs/benchmarks.md, `size14`).
wasm-opt --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue -g "$WASM" -o "$OUT/weft_wasm.wasm"
wasm-bindgen --target nodejs --experimental-reset-state-function --out-dir "$OUT/pkg/node" "$OUT/weft_wasm.wasm"
rm "$OUT/weft_wasm.wasm"
wasm-opt -g -Os --converge --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals "$OUT/pkg/node/weft_wasm_bg.wasm" -o "$OUT/pkg/node/weft_wasm_bg.wasm"
echo '{ "type": "commonjs" }' > "$OUT/pkg/node/package.json"
say "wasm (named): $OUT"
