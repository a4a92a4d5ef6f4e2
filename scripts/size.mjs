// Prints the size of what ships: the WASM core and its JS glue (raw and gzipped),
// and the N-API addon. Run after scripts/build.sh.
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";

const root = new URL("..", import.meta.url);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function row(label, path) {
  const bytes = readFileSync(new URL(path, root));
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(
    `${label.padEnd(28)} ${String(bytes.length).padStart(9)} B  ${kb(bytes.length).padStart(10)}   gzip ${String(gz).padStart(8)} B  ${kb(gz).padStart(9)}`,
  );
  return gz;
}

export function printSizes() {
  console.log("size (gzip -9):");
  const wasm = row("wasm core (web)", "bindings-wasm/pkg/web/weft_wasm_bg.wasm");
  const glue = row("wasm JS glue (web)", "bindings-wasm/pkg/web/weft_wasm.js");
  const addon = statSync(new URL("bindings-node/weft-node.linux-x64-gnu.node", root)).size;
  console.log(
    `${"N-API addon (linux-x64)".padEnd(28)} ${String(addon).padStart(9)} B  ${kb(addon).padStart(10)}`,
  );
  console.log(`wasm core + glue, gzipped: ${wasm + glue} B (${kb(wasm + glue)}); budget < 100 KB`);
}

if (import.meta.url === `file://${process.argv[1]}`) printSizes();
