#!/usr/bin/env bash
# An instrument build of the WebAssembly module, never shipped: the shipped build's
# flags (scripts/build-wasm.sh) plus `--cfg weft_heap_stats`, which wraps the
# allocator to count live bytes, their high-water mark and the large blocks
# (bindings-wasm/src/heap_stats.rs), for bench/mem.mjs. Node glue only, no function
# reordering or import renaming (neither changes what is allocated).
#   bash bench/build-wasm-heap-stats.sh <out dir>    (then: node --expose-gc bench/mem.mjs <out dir> <trace>)
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
out="${1:?usage: build-wasm-heap-stats.sh <out dir>}"
# Its own target directory: other RUSTFLAGS would rebuild the shipped build's std.
export CARGO_TARGET_DIR="$CARGO_TARGET_DIR/heap-stats"
RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc \
  RUSTFLAGS="-C linker=wasm-ld -Zlocation-detail=none --cfg weft_wasm_speed --cfg weft_heap_stats -C llvm-args=-inlinehint-threshold=500" \
  CARGO_PROFILE_RELEASE_WASM_PANIC=immediate-abort \
  /usr/bin/cargo build --profile release-wasm --target wasm32-unknown-unknown \
  -Zpanic-immediate-abort -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size -p weft-wasm
rm -rf "$out"
mkdir -p "$out/pkg/node"
wasm-bindgen --target nodejs --experimental-reset-state-function --out-dir "$out/pkg/node" \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release-wasm/weft_wasm.wasm"
wasm-opt -Os --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals "$out/pkg/node/weft_wasm_bg.wasm" -o "$out/pkg/node/weft_wasm_bg.wasm"
echo '{ "type": "commonjs" }' > "$out/pkg/node/package.json"
cp bindings-wasm/node.js bindings-wasm/install.js bindings-wasm/package.json "$out/"
say "heap-stats build in $out"
