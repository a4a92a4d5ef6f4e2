#!/usr/bin/env bash
# Runs each cargo-fuzz target for a fixed time: `scripts/fuzz.sh` (20 s each, the
# time-boxed run inside the test command) or `scripts/fuzz.sh 3600` for a long run.
# The seeds and past crashers in fuzz/regressions/<target> start each run; a crash
# fails the script and leaves the input under fuzz/artifacts/<target>/ — copy it
# into fuzz/regressions/<target>/ so the regression test keeps it.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
SECONDS_EACH="${1:-20}"
# cargo fuzz asks for nightly-only flags (-Zsanitizer); the stable toolchain
# accepts them under RUSTC_BOOTSTRAP, so no nightly download is needed.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$ROOT/fuzz/target"
say "fuzz: cargo fuzz build"
cargo fuzz build --release
for target in decode_changes import ops decode_cursor undo; do
  mkdir -p "fuzz/corpus/$target"
  say "fuzz: $target for ${SECONDS_EACH}s"
  # -malloc_limit_mb: any single allocation that large from inputs of at most
  # 4 KiB is an unbounded allocation, reported as a crash.
  log="$CARGO_TARGET_DIR/fuzz-$target.log"
  mkdir -p "$CARGO_TARGET_DIR"
  if ! cargo fuzz run --release "$target" "fuzz/corpus/$target" "fuzz/regressions/$target" -- \
    -max_total_time="$SECONDS_EACH" -max_len=4096 -malloc_limit_mb=128 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$log" 2>&1; then
    tail -60 "$log"
    echo "fuzz: $target found a failing input (see fuzz/artifacts/$target)"
    exit 1
  fi
  grep -E "^(Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb)" "$log"
done
say "fuzz: no failures"
