#!/usr/bin/env bash
# Builds bindings-wasm to a size-optimised .wasm with JS glue for browsers (web) and
# Node (nodejs), and refreshes the committed TypeScript declarations.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

WASM="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release-wasm/weft_wasm.wasm"
if rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  say "wasm: cargo build (rustup's wasm32 target)"
  cargo build --profile release-wasm --target wasm32-unknown-unknown -p weft-wasm
else
  # No wasm32 std for rustup's toolchain here: build std from source with Debian's
  # toolchain (see TOOLCHAIN.md). Building std ourselves also lets panics abort on
  # the spot: std's panic formatting and hook machinery (8.5 KB gzipped) never
  # reaches the module. A panic trapped as `unreachable` before too, with a message
  # no host could see (std's stderr is a no-op on wasm32-unknown-unknown). For
  # the same reason the file, line and column that `#[track_caller]` code keeps
  # for panic messages are never shown: -Zlocation-detail=none leaves them out
  # (-0.4 KB gzipped). `--cfg weft_wasm_speed` builds the functions marked
  # `optimize(speed)` (the local edit path, the remote insert, change decoding, the
  # inflater) for speed in a module otherwise built for size: replay 10-20% faster
  # on three of the four traces for +3.4 KB gzipped (docs/benchmarks.md, branch
  # `wasmopt`). The attribute is unstable, so only this build, under
  # RUSTC_BOOTSTRAP, sets the cfg. -inlinehint-threshold raises LLVM's limit for
  # inlining an `#[inline]` callee (std's and the core's small helpers) into a
  # caller that is not built for size, so it acts on those speed functions only
  # (minsize callers ignore hints and stay at the -Oz limit): the JS replay of
  # automerge-paper runs 6.7% fewer instructions for +1.1 KB gzipped together with
  # the core's speed-build inline hints; 500 does as well as 1000, which is
  # +0.4 KB more (docs/benchmarks.md, branch `wasmspeed3`).
  say "wasm: cargo build with -Zbuild-std (Debian rustc-web)"
  RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTFLAGS="-C linker=wasm-ld -Zlocation-detail=none --cfg weft_wasm_speed -C llvm-args=-inlinehint-threshold=500" \
    CARGO_PROFILE_RELEASE_WASM_PANIC=immediate-abort \
    /usr/bin/cargo build --profile release-wasm --target wasm32-unknown-unknown \
    -Zpanic-immediate-abort -Zbuild-std=std,panic_abort \
    -Zbuild-std-features=optimize_for_size -p weft-wasm
fi

# Objects forgotten without free() are released by a FinalizationRegistry: the glue
# of wasm-bindgen 0.2.129 always emits one (its --weak-refs flag is deprecated as
# runtime-detected). sdk/test/soak.test.ts shows memory staying bounded.
for target in web nodejs; do
  out="bindings-wasm/pkg/${target/nodejs/node}"
  rm -rf "$out"
  # A panic aborts (a trap) in this build: --experimental-reset-state-function
  # lets install.js start a fresh instance after one (objects of the old one then
  # throw WEFT_PANIC) instead of leaving a broken instance behind.
  wasm-bindgen --target "$target" --experimental-reset-state-function --out-dir "$out" "$WASM"
  say "wasm: wasm-opt -Os ($target)"
  # --converge repeats -Os while it still shrinks the module (-0.5 KB gzipped).
  # -Os, not -Oz: with --converge it gives a smaller module here (-142 B gzipped on
  # main at 2beb68e, -337 B with the hot paths built for speed) and no replay,
  # merge or import difference a same-process A/B could see (docs/benchmarks.md,
  # branch `wasmopt`).
  # --low-memory-unused lets it fold constant offsets into loads and stores
  # (-1.1 KB): the linker puts the 1 MB stack first, growing down towards address 0,
  # so the lowest 1 KB is never addressed unless the stack has already overflowed.
  wasm-opt -Os --converge --low-memory-unused --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals "$out/weft_wasm_bg.wasm" -o "$out/weft_wasm_bg.wasm"
  # Functions in an order where gzip finds more of each one in those before it
  # (-2.2 KB gzipped): scripts/order-functions.mjs names them by rank, wasm-opt
  # renumbers them by name and drops the names; no code changes.
  say "wasm: function order for gzip ($target)"
  node scripts/order-functions.mjs "$out/weft_wasm_bg.wasm" "$out/named.wasm"
  wasm-opt --reorder-functions-by-name --strip-debug --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals "$out/named.wasm" -o "$out/weft_wasm_bg.wasm"
  rm "$out/named.wasm"
  # The glue as wasm-bindgen writes it repeats a JSDoc block and the same checks per
  # export (8.9 KB gzipped for the web target); minified it is 4.9 KB. Its exports
  # keep their names; the .d.ts below is generated apart and is unchanged. Errors
  # only: esbuild warns that each class declares free() twice (wasm-bindgen's and
  # ours); both stay, in order, so the later one wins as before.
  glue="$out/weft_wasm.js"
  format=esm
  [ "$target" = nodejs ] && format=cjs
  head -1 "$glue" | grep '^/\* @ts-self-types' > "$glue.min" || true
  esbuild "$glue" --minify --format="$format" --log-level=error >> "$glue.min"
  mv "$glue.min" "$glue"
  # The imports the module takes from its glue get one- or two-letter names in
  # both files instead of wasm-bindgen's hashed ones (-1.4 KB gzipped together);
  # exports keep theirs. Run after wasm-opt, which leaves import names alone.
  node scripts/minify-imports.mjs "$out/weft_wasm_bg.wasm" "$glue"
done

# The nodejs glue is CommonJS; the package is "type": "module".
echo '{ "type": "commonjs" }' > bindings-wasm/pkg/node/package.json

mkdir -p bindings-wasm/types
cp bindings-wasm/pkg/web/weft_wasm.d.ts bindings-wasm/types/weft_wasm.d.ts
say "wasm: built $(stat -c %s bindings-wasm/pkg/web/weft_wasm_bg.wasm) bytes"
