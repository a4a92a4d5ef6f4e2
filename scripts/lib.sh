# Shared helpers for the project's scripts. Source it; do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
# Pinned: the wasm-bindgen crate in bindings-wasm/Cargo.toml uses the same version.
WASM_BINDGEN_VERSION="0.2.129"
CARGO_FUZZ_VERSION="0.13.2"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
