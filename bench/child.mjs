// Measures one library in a fresh process (run with --expose-gc), so its heap and
// RSS are its own. Prints one JSON line. Usage:
//   node --expose-gc child.mjs trace <lib> <trace> <maxReps>
//   node --expose-gc child.mjs merge <lib> <opsPerSide> <maxReps>
//   node --expose-gc child.mjs memory <lib> <trace>
// Timed runs repeat until four times `maxReps` or about 3 s of timed work (merges
// also 15 s of wall clock), whichever is first; the first replay is always the
// one whose memory is reported.
import { performance } from "node:perf_hooks";
import { forkAndEdit } from "./lib/merge-fork.mjs";
import { mergeOps, SEEDS } from "./lib/merge-ops.mjs";
import { loadTrace } from "./lib/traces.mjs";
import { loadLib } from "./libs/index.mjs";

const BUDGET_MS = 3000;
const MERGE_WALL_MS = 15000;

if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc");

function memory() {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function time(fn) {
  const t0 = performance.now();
  const out = fn();
  return [performance.now() - t0, out];
}

/**
 * Repeats `run` (which returns a time in ms) within the budget of timed work and,
 * if given, of wall-clock time (for runs whose untimed set-up is the larger
 * part); at least once.
 */
function repeat(maxReps, run, spent = 0, wallMs = Number.POSITIVE_INFINITY) {
  const times = [];
  const start = performance.now();
  while (
    times.length < maxReps &&
    (times.length === 0 || (spent < BUDGET_MS && performance.now() - start < wallMs))
  ) {
    const ms = run();
    times.push(ms);
    spent += ms;
  }
  return times;
}

const errors = [];
function check(what, got, want) {
  if (got === want) return;
  let at = 0;
  while (at < got.length && got[at] === want[at]) at++;
  errors.push(
    `${what}: text differs at UTF-16 index ${at} (got ${got.length} units, want ${want.length}): ` +
      `got ${JSON.stringify(got.slice(at, at + 20))}, want ${JSON.stringify(want.slice(at, at + 20))}`,
  );
}

/** The first replay of a fresh process, and what it left held (the memory figures). */
function firstReplay(lib, trace) {
  const before = memory();
  const [firstMs, doc] = time(() => lib.applyTxns(lib.create(1), trace.txns));
  const after = memory();
  check("replay", lib.text(doc), trace.endContent);
  const held = {
    heapBytes: after.heap - before.heap,
    externalBytes: after.external - before.external,
    rssBytes: after.rss - before.rss,
    nativeHeap: lib.nativeHeap === true,
    rssAfter: after.rss,
  };
  return [firstMs, doc, held];
}

/** Only a first replay's memory: run.mjs adds these processes' figures to the trace run's. */
function memoryRun(lib, name) {
  const [replayFirstMs, doc, held] = firstReplay(lib, loadTrace(name));
  lib.free(doc);
  return { replayFirstMs, ...held };
}

function traceRun(lib, name, maxReps) {
  const trace = loadTrace(name);
  const [firstMs, doc, held] = firstReplay(lib, trace);
  const [encodeMs, bytes] = time(() => lib.encode(doc));
  lib.free(doc);

  // Imports are repeated four times as often as replays: a handful of fresh
  // imports has V8 still running a module's import code in its baseline
  // compiler, so their median mixed cold and optimised runs from one run of
  // the command to the next. The median is the warm figure; the first import,
  // what a page's first document load pays, is reported beside it.
  const importOnly = [];
  const importText = repeat(maxReps * 4, () => {
    const t0 = performance.now();
    const loaded = lib.load(bytes, 9);
    const t1 = performance.now();
    const text = lib.text(loaded);
    const t2 = performance.now();
    if (importOnly.length === 0) check("import", text, trace.endContent);
    importOnly.push(t1 - t0);
    lib.free(loaded);
    return t2 - t0;
  });

  // Replays are repeated four times as often too: two full runs six minutes
  // apart on a quiet machine (2026-11-25) gave Weft-WASM's sveltecomponent a
  // median of 26.1 ms and then 8.82 ms, diamond-types' 8.80 and then 13.3 ms.
  // A short trace's first few replays run while V8 still compiles the module's
  // hot code in the background, so a median of five said more about when that
  // compile finished than about the library. Slow libraries still stop at the
  // time budget.
  const replays = [firstMs];
  replays.push(
    ...repeat(
      maxReps * 4 - 1,
      () => {
        const [ms, d] = time(() => lib.applyTxns(lib.create(1), trace.txns));
        lib.free(d);
        return ms;
      },
      firstMs,
    ),
  );
  return {
    edits: trace.edits,
    replayMs: median(replays),
    replayFirstMs: firstMs,
    replayRuns: replays.length,
    encodedBytes: bytes.length,
    encodeMs,
    importMs: median(importOnly),
    importTextMs: median(importText),
    importFirstTextMs: importText[0],
    importRuns: importText.length,
    ...held,
  };
}

function mergeRun(lib, count, maxReps) {
  const [a, b] = SEEDS.map((seed) => mergeOps(seed, count));
  let updateBytes = 0;
  let converged = true;
  // Merges repeat four times as often as `maxReps` too (a disturbed run moved a
  // median of five: Yjs 10.1 ms where it takes 3.2–3.6, 2026-11-25 04:17), but
  // each one first forks and edits both sides, untimed and for the slowest
  // libraries seconds long, so a wall-clock budget bounds them as well.
  const times = repeat(
    maxReps * 4,
    () => {
      let { left, right, leftBase, rightBase } = forkAndEdit(lib, [a, b]);
      const first = errors.length === 0;
      check("left before merge", lib.text(left), a.expected);
      check("right before merge", lib.text(right), b.expected);
      const update = lib.exportSince(left, leftBase);
      const back = lib.exportSince(right, rightBase);
      updateBytes = update.length;
      const [ms, merged] = time(() => lib.importUpdate(right, update));
      right = merged;
      left = lib.importUpdate(left, back);
      const l = lib.text(left);
      const r = lib.text(right);
      if (l !== r && first) {
        converged = false;
        check("convergence (left vs right after merging)", l, r);
      }
      if (r.length === 0 || (r.length < Math.max(a.expected.length, b.expected.length) / 2 && first)) {
        errors.push(`merged text is implausibly short (${r.length} units)`);
      }
      lib.free(left);
      lib.free(right);
      return ms;
    },
    0,
    MERGE_WALL_MS,
  );
  return { opsPerSide: count, mergeMs: median(times), mergeRuns: times.length, updateBytes, converged };
}

const [mode, libName, arg, reps] = process.argv.slice(2);
const lib = await loadLib(libName);
const result = { lib: lib.name, pkg: lib.pkg, version: lib.pkgVersion() };
try {
  Object.assign(
    result,
    mode === "merge"
      ? mergeRun(lib, Number(arg), Number(reps))
      : mode === "memory"
        ? memoryRun(lib, arg)
        : traceRun(lib, arg, Number(reps)),
  );
} catch (e) {
  errors.push(`threw: ${e?.stack ?? e}`);
}
result.errors = errors;
result.valid = errors.length === 0;
process.stdout.write(`${JSON.stringify(result)}\n`);
