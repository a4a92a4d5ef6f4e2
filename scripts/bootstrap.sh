#!/usr/bin/env bash
# Takes a fresh machine of this kind (root, Debian 12, Node 20, rustup's toolchain
# without the wasm32 target, no services) to one that builds and tests Weft.
# Idempotent: everything already in place is skipped, so a second run takes seconds.
# Everything comes from Debian's packages, crates.io, the npm registry or Maven
# Central (see ../shared/TOOLCHAIN.md for why each piece is fetched this way).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

# Debian packages: a second Rust toolchain with std sources (to build std for
# wasm32 with -Zbuild-std), wasm-ld, Chromium for browser tests, and Java/Maven
# for TLC.
APT_PACKAGES=(rustc-web cargo-web rust-web-src lld chromium default-jre-headless maven)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "bootstrap: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "bootstrap: Debian packages present"
fi

for tool in cargo rustc rustfmt cargo-clippy node npm java mvn; do
  have "$tool" || { echo "bootstrap: $tool is missing and cannot be installed from here" >&2; exit 1; }
done

# wasm-bindgen's CLI must match the crate's version exactly.
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  say "bootstrap: cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --locked --force --quiet
else
  say "bootstrap: wasm-bindgen $WASM_BINDGEN_VERSION present"
fi

# cargo-fuzz drives the fuzz targets (fuzz/), on the stable toolchain.
if [[ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
  say "bootstrap: cargo install cargo-fuzz $CARGO_FUZZ_VERSION (a few minutes, once)"
  cargo install cargo-fuzz --version "=$CARGO_FUZZ_VERSION" --locked --force --quiet
else
  say "bootstrap: cargo-fuzz $CARGO_FUZZ_VERSION present"
fi

# npm packages (binaryen's wasm-opt, @napi-rs/cli, TypeScript, vitest, Biome,
# playwright-core, esbuild), exactly as package-lock.json pins them.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  # Not `npm ci`: the registry reachable here lacks some other platforms' optional
  # binaries (e.g. Biome's darwin builds), so the lock cannot list them and
  # `npm ci` refuses it. `npm install` installs exactly the locked versions and
  # leaves package-lock.json unchanged.
  say "bootstrap: npm install (locked)"
  npm install --no-fund --no-audit --loglevel=error
else
  say "bootstrap: node_modules up to date"
fi
say "bootstrap: done"
