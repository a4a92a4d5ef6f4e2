import { createRequire } from "node:module";
import { conformance } from "./conformance.js";

const require = createRequire(import.meta.url);
conformance("N-API (@weft/node)", async () => require("@weft/node"));
