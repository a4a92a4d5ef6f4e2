// Loro (Rust core in WASM). One `commit` per trace transaction; the encoding is a
// snapshot, which carries the full history.
import { LoroDoc } from "loro-crdt";
import { pkgVersion } from "../lib/pkg.mjs";

function open(replica) {
  const doc = new LoroDoc();
  doc.setPeerId(BigInt(replica));
  return { doc, text: doc.getText("t") };
}

export default {
  name: "loro",
  pkg: "loro-crdt",
  pkgVersion: () => pkgVersion("loro-crdt"),
  create: open,
  applyTxns(d, txns) {
    const { doc, text } = d;
    for (const patches of txns) {
      for (const [pos, del, ins] of patches) {
        if (del > 0) text.delete(pos, del);
        if (ins.length > 0) text.insert(pos, ins);
      }
      doc.commit();
    }
    return d;
  },
  text: (d) => d.text.toString(),
  encode: (d) => d.doc.export({ mode: "snapshot" }),
  load(bytes, replica) {
    const d = open(replica);
    d.doc.import(bytes);
    return d;
  },
  version: (d) => d.doc.oplogVersion(),
  exportSince: (d, v) => d.doc.export({ mode: "update", from: v }),
  importUpdate(d, bytes) {
    d.doc.import(bytes);
    return d;
  },
  free(d) {
    d.text.free();
    d.doc.free();
  },
};
