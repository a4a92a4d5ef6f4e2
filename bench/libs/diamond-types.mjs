// diamond-types (Rust in WASM; the npm package is named -node but ships WASM). It
// has no transactions: each edit is its own op, so there is nothing to commit.
import dt from "diamond-types-node";
import { pkgVersion } from "../lib/pkg.mjs";

const { Doc } = dt;
const agent = (replica) => `r${replica}`;

export default {
  name: "diamond-types",
  pkg: "diamond-types-node",
  pkgVersion: () => pkgVersion("diamond-types-node"),
  create: (replica) => new Doc(agent(replica)),
  applyTxns(doc, txns) {
    for (const patches of txns) {
      for (const [pos, del, ins] of patches) {
        if (del > 0) doc.del(pos, del);
        if (ins.length > 0) doc.ins(pos, ins);
      }
    }
    return doc;
  },
  text: (doc) => doc.get(),
  encode: (doc) => doc.toBytes(),
  load: (bytes, replica) => Doc.fromBytes(bytes, agent(replica)),
  // Local versions are this replica's own numbering, which is what
  // `getPatchSince` takes.
  version: (doc) => doc.getLocalVersion(),
  exportSince: (doc, v) => doc.getPatchSince(v),
  importUpdate(doc, bytes) {
    doc.mergeBytes(bytes);
    return doc;
  },
  free: (doc) => doc.free(),
};
