import { createRequire } from "node:module";
import { weftAdapter } from "./weft.mjs";

// The N-API loader is CommonJS.
const require = createRequire(import.meta.url);
export default weftAdapter("weft-node", "@weft/node", async () => require("@weft/node"));
