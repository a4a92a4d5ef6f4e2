// Prints the size of what ships: the WASM core and its JS glue (raw and gzipped),
// their gzipped sum against issue 5's budget, and the N-API addon. Run after
// scripts/build.sh (or scripts/build-wasm.sh). `--check` exits 1 when the WASM
// budget is missed.
import { existsSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";

const root = new URL("..", import.meta.url);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
/** Issue 5: core and glue under 100 KB gzipped, counted strictly as 100,000 bytes. */
export const WASM_BUDGET = 100_000;

function row(label, path) {
  const bytes = readFileSync(new URL(path, root));
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(
    `${label.padEnd(28)} ${String(bytes.length).padStart(9)} B  ${kb(bytes.length).padStart(10)}   gzip ${String(gz).padStart(8)} B  ${kb(gz).padStart(9)}`,
  );
  return gz;
}

/** Prints the table; returns whether the WASM core and glue fit the budget. */
export function printSizes() {
  console.log("size (gzip -9):");
  const wasm = row("wasm core (web)", "bindings-wasm/pkg/web/weft_wasm_bg.wasm");
  const glue = row("wasm JS glue (web)", "bindings-wasm/pkg/web/weft_wasm.js");
  const addonPath = new URL("bindings-node/weft-node.linux-x64-gnu.node", root);
  const addon = existsSync(addonPath) ? statSync(addonPath).size : null;
  console.log(
    `${"N-API addon (linux-x64)".padEnd(28)} ${addon === null ? "(not built)".padStart(11) : `${String(addon).padStart(9)} B  ${kb(addon).padStart(10)}`}`,
  );
  const sum = wasm + glue;
  const met = sum < WASM_BUDGET;
  console.log(
    `wasm core + glue, gzipped: ${wasm} B + ${glue} B = ${sum} B (${kb(sum)}); ` +
      `budget < ${WASM_BUDGET} B: ${met ? "met" : "MISSED"} (${met ? `${WASM_BUDGET - sum} B to spare` : `${sum - WASM_BUDGET} B over`})`,
  );
  return met;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const met = printSizes();
  if (process.argv.includes("--check") && !met) process.exit(1);
}
