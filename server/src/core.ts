/**
 * The server holds documents through the N-API core (never through WASM): native
 * speed, and the same core API the SDK is written against.
 */
import { createRequire } from "node:module";
import type { WeftBackend } from "@weft/sdk/backend";

const require = createRequire(import.meta.url);

/** Loads the native core, failing with a message that says how to build it. */
export function loadCore(): WeftBackend {
  try {
    return require("@weft/node") as WeftBackend;
  } catch (err) {
    throw new Error(
      `the Weft N-API core is not built (${(err as Error).message}); run \`bash scripts/build.sh\``,
    );
  }
}
