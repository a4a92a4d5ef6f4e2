/**
 * Compile-time check (run by `tsc -b`): the committed declarations generated for
 * each binding satisfy the SDK's backend interface, so an API drift in either
 * binding fails the type check rather than a user's build.
 */
import type * as NodeBinding from "@weft/node";
import type * as WasmBinding from "@weft/wasm";
import type { WeftBackend } from "../src/index.js";

type Satisfies<T extends WeftBackend> = T;
export type WasmIsBackend = Satisfies<typeof WasmBinding>;
export type NodeIsBackend = Satisfies<typeof NodeBinding>;
