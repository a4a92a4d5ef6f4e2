// What a first replay's RSS Δ is made of, in one fresh process (run with --expose-gc).
// Measures like child.mjs (two forced GCs, process.memoryUsage() before and after the
// first replay, the document alive) and adds, from /proc/self/smaps, each mapping's
// resident growth, sorted into: the WebAssembly linear memory (V8 reserves it with
// guard regions, so it is the one mapping of 8 GB or more), V8's heap cage (the 4 GB
// pointer-compression reservation), other anonymous mappings (malloc's arenas,
// V8's zones and code space) and the rest. For a Weft build it also reports the
// linear memory's size (`memory.buffer.byteLength`) before and after. One JSON line.
//   node --expose-gc bench/mem.mjs <weft-dir|diamond-types|loro> <trace>
// where <weft-dir> is laid out like bindings-wasm/ (node.js, install.js, pkg/node).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadTrace } from "./lib/traces.mjs";
import { loadLib } from "./libs/index.mjs";
import { weftAdapter } from "./libs/weft.mjs";

if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc");
const [which, traceName] = process.argv.slice(2);

// Every WebAssembly instance's memory, as the module is instantiated (sync or async).
const memories = [];
/** The raw exports of an instrument build (`--cfg weft_heap_stats`), if this is one. */
let stats = null;
const keep = (exports) => {
  for (const v of Object.values(exports)) if (v instanceof WebAssembly.Memory) memories.push(v);
  if (typeof exports.weft_heap_live === "function") stats = exports;
};
// A subclass: the glue calls `new WebAssembly.Instance(...)`.
WebAssembly.Instance = class extends WebAssembly.Instance {
  constructor(module, imports) {
    super(module, imports);
    keep(this.exports);
  }
};
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async (...args) => {
  const out = await instantiate(...args);
  keep((out.instance ?? out).exports);
  return out;
};

const GB = 1024 ** 3;
/** Resident kB per mapping, keyed by start address, with its size and name. */
function smaps() {
  const maps = new Map();
  let cur = null;
  for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const size = Number(BigInt(`0x${head[2]}`) - BigInt(`0x${head[1]}`));
      cur = { start: head[1], size, perms: head[3], name: head[4], rss: 0 };
      maps.set(head[1], cur);
    } else if (cur && line.startsWith("Rss:")) {
      cur.rss = Number(/\d+/.exec(line)[0]) * 1024;
    }
  }
  return classify(maps);
}
// The kernel splits a reservation where its protection changes, so the accessible
// part of a reservation is its own mapping, followed by the inaccessible rest: a
// linear memory's is followed by the rest of V8's 8 GB reservation, a glibc thread
// arena's (malloc of V8's compiler and GC threads) by the rest of its 64 MB.
function classify(maps) {
  const list = [...maps.values()];
  list.forEach((m, i) => {
    const next = list[i + 1];
    const adjacent = next && BigInt(`0x${next.start}`) === BigInt(`0x${m.start}`) + BigInt(m.size);
    if (m.name && m.name !== "[heap]" && !m.name.startsWith("[anon")) m.kind = "file";
    else if (m.name === "[heap]") m.kind = "brk";
    else if (m.perms.startsWith("rw") && adjacent && next.perms === "---p" && m.size + next.size === 8 * GB)
      m.kind = "wasmMemory";
    else if (
      m.perms.startsWith("rw") &&
      adjacent &&
      next.perms === "---p" &&
      m.size + next.size === 64 * 1024 * 1024
    )
      m.kind = "mallocArena";
    else if (m.perms.includes("x")) m.kind = "anonExec";
    else m.kind = "anon";
  });
  return maps;
}
const kind = (m) => m.kind;
function byKind(maps) {
  const out = { total: 0 };
  for (const m of maps.values()) {
    out[kind(m)] = (out[kind(m)] ?? 0) + m.rss;
    out.total += m.rss;
  }
  return out;
}

function memory() {
  globalThis.gc();
  globalThis.gc();
  const u = process.memoryUsage();
  return {
    rss: u.rss,
    heap: u.heapUsed,
    external: u.external,
    linear: memories.reduce((s, m) => s + m.buffer.byteLength, 0),
    maps: smaps(),
    live: stats ? stats.weft_heap_live() >>> 0 : undefined,
    peak: stats ? stats.weft_heap_peak() >>> 0 : undefined,
    calls: stats ? stats.weft_heap_calls() >>> 0 : undefined,
  };
}

const lib = ["diamond-types", "loro"].includes(which)
  ? await loadLib(which)
  : weftAdapter(which, "@weft/wasm", () => import(`${resolve(which)}/node.js`));
if (lib.init) await lib.init();
const trace = loadTrace(traceName);
const before = memory();
stats?.weft_heap_reset_peak();
const doc = lib.applyTxns(lib.create(1), trace.txns);
const after = memory();
if (lib.text(doc) !== trace.endContent) throw new Error("wrong text after replay");

/** Live allocations of 4 KB or more as [address, size], largest first. */
function big(atPeak) {
  const out = [];
  for (let i = 0; i < 256; i++) {
    const size = stats.weft_heap_big(2 * i + 1, atPeak ? 1 : 0) >>> 0;
    if (size) out.push([stats.weft_heap_big(2 * i, atPeak ? 1 : 0) >>> 0, size]);
  }
  return out.sort((a, b) => b[1] - a[1]);
}
const kb = byKind(before.maps);
const ka = byKind(after.maps);
const kinds = {};
for (const k of new Set([...Object.keys(kb), ...Object.keys(ka)])) kinds[k] = (ka[k] ?? 0) - (kb[k] ?? 0);
// The largest per-mapping growths, new mappings included.
const grown = [];
for (const [start, m] of after.maps) {
  const d = m.rss - (before.maps.get(start)?.rss ?? 0);
  if (Math.abs(d) >= 64 * 1024)
    grown.push({ kind: kind(m), size: m.size, perms: m.perms, d, isNew: !before.maps.has(start) });
}
grown.sort((a, b) => b.d - a.d);
process.stdout.write(
  `${JSON.stringify({
    lib: which,
    flags: process.execArgv.filter((a) => a !== "--expose-gc").join(" "),
    trace: traceName,
    rss: after.rss - before.rss,
    heap: after.heap - before.heap,
    external: after.external - before.external,
    linearBefore: before.linear,
    linear: after.linear - before.linear,
    kinds,
    ...(stats && {
      heapLiveBefore: before.live,
      heapLive: after.live - before.live,
      heapPeak: after.peak - before.live,
      allocCalls: after.calls - before.calls,
      bigLive: big(false),
      bigAtPeak: big(true),
    }),
    grown: grown.slice(0, 8),
  })}\n`,
);
