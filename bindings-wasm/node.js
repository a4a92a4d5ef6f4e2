// Node entry: wasm-bindgen's `nodejs` glue is CommonJS and instantiates the module
// synchronously on require, which is what Node callers expect.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const wasm = require("./pkg/node/weft_wasm.js");

export const { WeftDoc, coreVersion } = wasm;
