#!/usr/bin/env node
// Side-by-side benchmark of Weft against other CRDT libraries (issue 5): each
// library on each trace, and the concurrent merge, each in a fresh `node
// --expose-gc` child so memory figures never mix. Prints markdown (or --json).
//
//   node bench/run.mjs [--quick] [--json] [--traces=a,b] [--libs=a,b] [--reps=N]
//                      [--mem-runs=N] [--merge-ops=N] [--no-merge]
//
// --quick: the smallest trace only, one run of each figure (two of the memory
// figures, so their extra processes are exercised too), 2,000-op merge: proves
// the harness and every library still work. Exits 1 if any result is invalid
// (wrong text, no convergence, a crash) or no trace is found.
import { spawnSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { markdown } from "./lib/report.mjs";
import { listTraces, loadTrace, tracesDir } from "./lib/traces.mjs";
import { wasmSizes } from "./lib/wasm-size.mjs";
import { LIBS } from "./libs/index.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k, v ?? true];
  }),
);
const quick = Boolean(args.quick);
const list = (v, all) => (typeof v === "string" ? v.split(",") : all);
const available = listTraces();
if (available.length === 0) {
  console.error(`no traces in ${tracesDir()} (set WEFT_TRACES_DIR): nothing to benchmark`);
  process.exit(1);
}
const traces = list(args.traces, quick ? available.slice(0, 1) : available);
const libs = list(args.libs, LIBS);
const reps = Number(args.reps ?? (quick ? 1 : 5));
const memRuns = Number(args["mem-runs"] ?? (quick ? 2 : 5));
const mergeOps = Number(args["merge-ops"] ?? (quick ? 2000 : 10000));
const child = fileURLToPath(new URL("child.mjs", import.meta.url));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

function measure(...childArgs) {
  const r = spawnSync(process.execPath, ["--expose-gc", child, ...childArgs], {
    encoding: "utf8",
    timeout: 15 * 60 * 1000,
    maxBuffer: 64 << 20,
  });
  const last = r.stdout?.trim().split("\n").pop();
  try {
    return JSON.parse(last);
  } catch {
    const lines = r.stderr?.trim().split("\n") ?? [];
    const first = lines.find((l) => /Error|error:/.test(l)) ?? lines.at(-1);
    const why = r.error ? String(r.error) : `exit ${r.status}: ${first}`;
    return { lib: childArgs[1], valid: false, errors: [`child process failed: ${why}`] };
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// One process's RSS delta after a replay is mostly what V8's compiler and GC
// threads left in glibc's arenas: Weft-WASM's automerge-paper ranged from 1.99 to
// 8.75 MB over seven fresh processes, diamond-types' from 3.16 to 8.71
// (docs/benchmarks.md, branch `rss1`), wider than any gap between the two. So
// the memory figures are medians over up to `memRuns` fresh processes (the trace
// run's own first replay and more that only replay), within a time budget per
// library and trace so that the slowest libraries stay at one or two.
const MEM_BUDGET_MS = 8000;
function memoryFigures(row, lib, name) {
  const samples = [row];
  const t0 = performance.now();
  while (row.valid && samples.length < memRuns && performance.now() - t0 < MEM_BUDGET_MS) {
    const m = measure("memory", lib, name);
    if (!m.valid) {
      row.valid = false;
      row.errors.push(...m.errors.map((e) => `memory run: ${e}`));
      break;
    }
    samples.push(m);
  }
  row.memSamples = samples.map((m) => ({
    rssBytes: m.rssBytes,
    heapBytes: m.heapBytes,
    heldBytes: m.nativeHeap ? undefined : m.heapBytes + m.externalBytes,
  }));
  row.memRuns = samples.length;
  row.rssBytes = median(row.memSamples.map((m) => m.rssBytes));
  row.heapBytes = median(row.memSamples.map((m) => m.heapBytes));
  if (!row.nativeHeap) row.heldBytes = median(row.memSamples.map((m) => m.heldBytes));
  return row;
}

function say(row, what) {
  const fig = row.valid ? "" : `  INVALID: ${row.errors.join("; ")}`;
  process.stderr.write(`${what.padEnd(28)} ${row.lib.padEnd(14)} ${row.valid ? "ok" : "!!"}${fig}\n`);
}

const meta = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  node: process.version,
  loadBefore: load(),
  command: `node bench/run.mjs ${process.argv.slice(2).join(" ")}`.trim(),
};
const results = { meta, traces: [], merge: null, wasm: wasmSizes() };
for (const name of traces) {
  const t = loadTrace(name);
  const rows = [];
  for (const lib of libs) {
    const row = measure("trace", lib, name, String(reps));
    if (row.valid) memoryFigures(row, lib, name);
    say(row, name);
    rows.push(row);
  }
  results.traces.push({ name, edits: t.edits, chars: t.endContent.length, rows });
}
if (!args["no-merge"]) {
  const rows = [];
  for (const lib of libs) {
    const row = measure("merge", lib, String(mergeOps), String(reps));
    say(row, `merge ${mergeOps}`);
    rows.push(row);
  }
  results.merge = { opsPerSide: mergeOps, rows };
}
meta.loadAfter = load();

process.stdout.write(args.json ? `${JSON.stringify(results, null, 2)}\n` : `${markdown(results)}\n`);
const invalid = [...results.traces.flatMap((t) => t.rows), ...(results.merge?.rows ?? [])].filter(
  (r) => !r.valid,
);
if (invalid.length > 0) {
  process.stderr.write(`\n${invalid.length} INVALID result(s): ${invalid.map((r) => r.lib).join(", ")}\n`);
  process.exit(1);
}
