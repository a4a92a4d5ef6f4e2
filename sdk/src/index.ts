export type { CoreDoc, WeftBackend, WeftErrorCode, WeftValue } from "./backend.js";
export { errorCode } from "./backend.js";
export { CoreHost, connectCore, exposeCore } from "./worker/host.js";
