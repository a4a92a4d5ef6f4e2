import { createRequire } from "node:module";
import { weftAdapter } from "./weft.mjs";

// The N-API loader is CommonJS.
const require = createRequire(import.meta.url);
// Its documents live in the addon's native heap, which neither V8's heap nor its
// external memory counts: only RSS sees them.
export default {
  ...weftAdapter("weft-node", "@weft/node", async () => require("@weft/node")),
  nativeHeap: true,
};
