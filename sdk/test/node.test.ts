import { createRequire } from "node:module";
import type { WeftBackend } from "../src/index.js";
import { conformance } from "./conformance.js";

const require = createRequire(import.meta.url);
conformance("N-API (@weft/node)", async () => require("@weft/node") as WeftBackend);
