// Node entry: wasm-bindgen's `nodejs` glue is CommonJS and instantiates the module
// synchronously on require, which is what Node callers expect.
import { createRequire } from "node:module";
import { install } from "./install.js";

const require = createRequire(import.meta.url);
const wasm = install(require("./pkg/node/weft_wasm.js"));

export const { WeftDoc, CoreText, CoreMap, CoreList, CoreCounter, CoreSet, coreVersion } = wasm;
