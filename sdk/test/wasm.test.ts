import { conformance } from "./conformance.js";

conformance("WebAssembly (@weft/wasm)", async () => import("@weft/wasm"));
