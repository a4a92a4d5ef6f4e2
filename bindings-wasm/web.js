// Browser entry: wasm-bindgen's `web` glue (call the default export, `init`, first)
// with install.js applied.

import { install, started } from "./install.js";
import * as glue from "./pkg/web/weft_wasm.js";

install(glue);

export * from "./pkg/web/weft_wasm.js";

/** The glue's `init`, then the clock install.js provides. */
export default async function init(input) {
  const out = await glue.default(input);
  started(glue);
  return out;
}

/** The glue's `initSync`, then the clock install.js provides. */
export function initSync(module) {
  const out = glue.initSync(module);
  started(glue);
  return out;
}
