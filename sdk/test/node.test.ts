import { createRequire } from "node:module";
import { conformance } from "./conformance.js";
import { vectors } from "./vectors.js";

const require = createRequire(import.meta.url);
conformance("N-API (@weft/node)", async () => require("@weft/node"));
vectors("N-API (@weft/node)", async () => require("@weft/node"));
