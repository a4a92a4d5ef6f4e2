// Page entry for the browser test: a document is made on the page, shipped into the
// worker-hosted core, changed there, and shipped back.
import init, * as wasm from "@weft/wasm/web";
import { connectCore } from "../../src/worker/host.js";

async function roundTrip() {
  await init();
  const core = await connectCore(new Worker(new URL("./worker.js", import.meta.url), { type: "module" }));

  const pageDoc = new wasm.WeftDoc(1n);
  pageDoc.set("title", "from the page");
  pageDoc.set("items", ["milk", "🧵"]);

  await core.open("doc-1", 2n);
  await core.import("doc-1", pageDoc.exportSnapshot());
  const seenInWorker = await core.get("doc-1", "title");
  await core.set("doc-1", "status", "edited in the worker");
  const back = await core.exportSnapshot("doc-1");

  pageDoc.import(back);
  return {
    workerVersion: await core.coreVersion(),
    pageVersion: wasm.coreVersion(),
    seenInWorker,
    title: pageDoc.get("title"),
    items: pageDoc.get("items"),
    status: pageDoc.get("status"),
    keys: pageDoc.keys(),
  };
}

(globalThis as { roundTrip?: typeof roundTrip }).roundTrip = roundTrip;
