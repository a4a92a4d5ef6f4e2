import { weftAdapter } from "./weft.mjs";

export default weftAdapter("weft-wasm", "@weft/wasm", () => import("@weft/wasm"));
