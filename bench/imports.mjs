#!/usr/bin/env node
// Import alone, in one process: each library replays each trace once, encodes it
// (full history), then loads the bytes into a fresh document 21 times; prints
// the medians of the import and of the import with the text read back (a lazy
// loader pays on the read). Checks the loaded text against the trace, so a fast
// wrong load cannot pass. A quick look beside `run.mjs`, which times much more.
//   node bench/imports.mjs [libs,comma,separated]   (default weft-wasm,loro,weft-node)
import { performance } from "node:perf_hooks";
import { loadTrace } from "./lib/traces.mjs";
import { loadLib } from "./libs/index.mjs";

const names = (process.argv[2] ?? "weft-wasm,loro,weft-node").split(",");
for (const name of names) {
  const lib = await loadLib(name);
  for (const t of ["sveltecomponent", "rustcode", "seph-blog1", "automerge-paper"]) {
    const tr = loadTrace(t);
    const d = lib.applyTxns(lib.create(1), tr.txns);
    const bytes = lib.encode(d);
    lib.free(d);
    const imp = [],
      withText = [];
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now();
      const l = lib.load(bytes, 9);
      const t1 = performance.now();
      const text = lib.text(l);
      const t2 = performance.now();
      if (text !== tr.endContent) throw new Error(`${name} ${t}: wrong text after import`);
      imp.push(t1 - t0);
      withText.push(t2 - t0);
      lib.free(l);
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(2);
    console.log(
      `${name.padEnd(10)} ${t.padEnd(16)} ${String(bytes.length).padStart(7)} B  import ${med(imp)} ms  import+text ${med(withText)} ms`,
    );
  }
}
