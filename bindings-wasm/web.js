// Browser entry: wasm-bindgen's `web` glue (call the default export, `init`, first)
// with install.js applied.

import { install } from "./install.js";
import * as glue from "./pkg/web/weft_wasm.js";

install(glue);

export * from "./pkg/web/weft_wasm.js";
export { default } from "./pkg/web/weft_wasm.js";
