// Yjs: pure JavaScript. One `transact` per trace transaction; the encoding is the
// v1 update of the whole state (deleted content dropped, its structure kept).
import * as Y from "yjs";
import { pkgVersion } from "../lib/pkg.mjs";

function open(replica) {
  const doc = new Y.Doc();
  doc.clientID = replica;
  return { doc, text: doc.getText("t") };
}

export default {
  name: "yjs",
  pkg: "yjs",
  pkgVersion: () => pkgVersion("yjs"),
  create: open,
  applyTxns(d, txns) {
    const { doc, text } = d;
    for (const patches of txns) {
      doc.transact(() => {
        for (const [pos, del, ins] of patches) {
          if (del > 0) text.delete(pos, del);
          if (ins.length > 0) text.insert(pos, ins);
        }
      });
    }
    return d;
  },
  text: (d) => d.text.toString(),
  encode: (d) => Y.encodeStateAsUpdate(d.doc),
  load(bytes, replica) {
    const d = open(replica);
    Y.applyUpdate(d.doc, bytes);
    return d;
  },
  version: (d) => Y.encodeStateVector(d.doc),
  exportSince: (d, v) => Y.encodeStateAsUpdate(d.doc, v),
  importUpdate(d, bytes) {
    Y.applyUpdate(d.doc, bytes);
    return d;
  },
  free: (d) => d.doc.destroy(),
};
