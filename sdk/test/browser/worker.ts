// Worker entry for the browser test: the real WASM core, served over comlink by the
// SDK's worker host.
import init, * as wasm from "@weft/wasm/web";
import type { WeftBackend } from "../../src/index.js";
import { exposeCore } from "../../src/worker/host.js";

await init();
// TEMPORARY while issue 5's bindings land step by step (see
// bindings-satisfy-backend.ts): the cast goes when the whole contract is bound.
exposeCore(wasm as unknown as WeftBackend);
