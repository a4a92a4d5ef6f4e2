// Worker entry for the browser test: the real WASM core, served over comlink by the
// SDK's worker host.
import init, * as wasm from "@weft/wasm/web";
import { exposeCore } from "../../src/worker/host.js";

await init();
exposeCore(wasm);
