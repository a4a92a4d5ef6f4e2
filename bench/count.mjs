#!/usr/bin/env node
// The workload of an instruction count: run under callgrind once with n = 1 and
// once with n = 2, the difference is one steady-state replay (JS loop, glue, the
// module, garbage collection) or one merge's import, whatever the machine's load.
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null --smc-check=all-non-file \
//     node --single-threaded --no-liftoff bench/count.mjs <trace|merge|fork> <n> <dir|dt>
// `merge` forks, edits and imports n times; `fork` does the same without the
// import (its difference to `merge` is the import). <dir> is laid out like
// bindings-wasm/ (node.js, install.js, pkg/node); `dt` is diamond-types.
// `import <n> <dir> <snapshot>` loads a snapshot file n times into fresh
// documents (the bytes `import_profile write` gives the native example, so both
// builds decode the same input); `import-read` also reads the text back once per
// load, what a lazily decoding peer pays for.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { forkAndEdit } from "./lib/merge-fork.mjs";
import { mergeOps, SEEDS } from "./lib/merge-ops.mjs";
import { loadTrace } from "./lib/traces.mjs";
import { loadLib } from "./libs/index.mjs";
import { weftAdapter } from "./libs/weft.mjs";

const [what, n, dir, snapshot] = process.argv.slice(2);
const load = what === "import" || what === "import-read";
if (!what || !(Number(n) > 0) || !dir || (load && !snapshot)) {
  console.error("usage: node bench/count.mjs <trace|merge|fork> <n> <dir|dt>");
  console.error("       node bench/count.mjs <import|import-read> <n> <dir> <snapshot file>");
  process.exit(2);
}
/** Loads `snapshot` n times into fresh documents; prints the texts' total length. */
async function countImports() {
  const { WeftDoc } = await import(`${resolve(dir)}/node.js`);
  const bytes = new Uint8Array(readFileSync(snapshot));
  let total = 0;
  for (let i = 0; i < Number(n); i++) {
    const doc = new WeftDoc(2n);
    doc.setUndoEnabled(false);
    doc.import(bytes);
    const text = doc.text("text");
    total += what === "import-read" ? text.toString().length : text.length;
    text.free();
    doc.free();
  }
  console.log(total);
}

/** Replays a trace, or forks and merges, n times with `dir`'s build (or diamond-types). */
async function countEdits() {
  let lib;
  if (dir === "dt") {
    lib = await loadLib("diamond-types");
  } else {
    lib = weftAdapter(dir, "@weft/wasm", () => import(`${resolve(dir)}/node.js`));
    await lib.init();
  }

  if (what === "merge" || what === "fork") {
    const sides = SEEDS.map((seed) => mergeOps(seed, 10_000));
    for (let i = 0; i < Number(n); i++) {
      const { left, right, leftBase } = forkAndEdit(lib, sides);
      const update = lib.exportSince(left, leftBase);
      const merged = what === "merge" ? lib.importUpdate(right, update) : right;
      if (lib.text(merged).length === 0) throw new Error("empty text after merge");
      lib.free(left);
      lib.free(merged);
    }
  } else {
    const trace = loadTrace(what);
    for (let i = 0; i < Number(n); i++) {
      const doc = lib.applyTxns(lib.create(1), trace.txns);
      if (lib.text(doc) !== trace.endContent) throw new Error("wrong text after replay");
      lib.free(doc);
    }
  }
}

await (load ? countImports() : countEdits());
