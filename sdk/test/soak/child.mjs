// Creates and drops documents in rounds, in a process of its own started with
// --expose-gc, and prints one JSON line of memory figures. Run by soak.test.ts.
import { createRequire } from "node:module";

const [binding = "wasm", total = "100000", rounds = "10"] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const core = binding === "wasm" ? await import("@weft/wasm") : require("@weft/node");
const perRound = Number(total) / Number(rounds);

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Collects garbage until finalizers have run (they are queued after a GC). */
async function settle() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await tick();
  }
}

/** Some content: a field in each, a text in one in ten (a text's first edit is the costly part). */
function fill(doc, i) {
  doc.set("title", "a document that lives for a moment 🧵");
  doc.set("n", i);
  if (i % 10 === 0) doc.text("body").insert(0, "with some text in it");
  return doc;
}

const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
const rssMb = [];
const started = performance.now();
let freed = 0;
let dropped = 0;
for (let r = 0; r < Number(rounds); r++) {
  for (let i = 0; i < perRound; i++) {
    const doc = fill(new core.WeftDoc(BigInt(i + 1)), i);
    // Half are freed at once, half left to the FinalizationRegistry / the GC.
    if (i % 2 === 0) {
      doc.free();
      freed++;
    } else {
      dropped++;
    }
  }
  await settle();
  rssMb.push(mb(process.memoryUsage().rss));
}

// What the same documents cost while alive: the growth a leak would show.
const kept = [];
await settle();
const before = process.memoryUsage().rss;
for (let i = 0; i < perRound; i++) kept.push(fill(new core.WeftDoc(BigInt(i + 1)), i));
await settle();
const liveMbPerRound = mb(process.memoryUsage().rss - before);

console.log(
  JSON.stringify({
    binding,
    documents: Number(total),
    freed,
    dropped,
    rssMb,
    liveMbPerRound,
    kept: kept.length,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  }),
);
