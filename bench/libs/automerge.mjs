// Automerge 3 (Rust core in WASM). One `change` per trace transaction with one
// `splice` per edit inside it; the encoding is `save` (the compressed full history).
import * as A from "@automerge/automerge";
import { pkgVersion } from "../lib/pkg.mjs";

const actor = (replica) => replica.toString(16).padStart(16, "0");

export default {
  name: "automerge",
  pkg: "@automerge/automerge",
  pkgVersion: () => pkgVersion("@automerge/automerge"),
  create: (replica) => A.from({ t: "" }, { actor: actor(replica) }),
  applyTxns(doc, txns) {
    let d = doc;
    for (const patches of txns) {
      d = A.change(d, (x) => {
        for (const [pos, del, ins] of patches) A.splice(x, ["t"], pos, del, ins);
      });
    }
    return d;
  },
  text: (d) => d.t,
  encode: (d) => A.save(d),
  load: (bytes, replica) => A.load(bytes, { actor: actor(replica) }),
  version: (d) => A.getHeads(d),
  exportSince: (d, heads) => A.saveSince(d, heads),
  importUpdate: (d, bytes) => A.loadIncremental(d, bytes),
  free: (d) => A.free(d),
};
