import { conformance } from "./conformance.js";
import { vectors } from "./vectors.js";

conformance("WebAssembly (@weft/wasm)", async () => import("@weft/wasm"));
vectors("WebAssembly (@weft/wasm)", async () => import("@weft/wasm"));
