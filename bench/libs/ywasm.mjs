// ywasm: Yrs (Rust) compiled to WASM. One explicit transaction per trace
// transaction, passed to every call, like `transact` in Yjs.
import { applyUpdate, encodeStateAsUpdate, encodeStateVector, YDoc } from "ywasm";
import { pkgVersion } from "../lib/pkg.mjs";

function open(replica) {
  const doc = new YDoc({ clientID: replica });
  return { doc, text: doc.getText("t") };
}

export default {
  name: "ywasm",
  pkg: "ywasm",
  pkgVersion: () => pkgVersion("ywasm"),
  create: open,
  applyTxns(d, txns) {
    const { doc, text } = d;
    for (const patches of txns) {
      const txn = doc.beginTransaction(null);
      for (const [pos, del, ins] of patches) {
        if (del > 0) text.delete(pos, del, txn);
        if (ins.length > 0) text.insert(pos, ins, undefined, txn);
      }
      txn.commit();
      txn.free();
    }
    return d;
  },
  text: (d) => d.text.toString(undefined),
  encode: (d) => encodeStateAsUpdate(d.doc),
  load(bytes, replica) {
    const d = open(replica);
    applyUpdate(d.doc, bytes, null);
    return d;
  },
  version: (d) => encodeStateVector(d.doc),
  exportSince: (d, v) => encodeStateAsUpdate(d.doc, v),
  importUpdate(d, bytes) {
    applyUpdate(d.doc, bytes, null);
    return d;
  },
  free(d) {
    d.text.free();
    d.doc.free();
  },
};
