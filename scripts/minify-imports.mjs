// Renames the imports a wasm-bindgen module takes from its own glue, in the module
// and in the glue alike: `usage: node minify-imports.mjs <module.wasm> <glue.js>`.
//
// wasm-bindgen names each import after the JavaScript it calls plus a 16-digit hash
// (`__wbg_new_from_slice_9a868026ffa4208a`) under the module "./weft_wasm_bg.js",
// and the glue spells every name once more as a key of its imports object. The
// hashes do not compress: short names save about 1 KB gzipped across the two
// files. Only those imports change; the exports (which the committed `.d.ts`
// describes) keep their names. The glue must hold each old name exactly once, as
// a key: anything else means wasm-bindgen's output changed shape, and the script
// stops instead of guessing.
import { readFileSync, writeFileSync } from "node:fs";

const MODULE = "./weft_wasm_bg.js";
const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) {
  console.error("usage: node minify-imports.mjs <module.wasm> <glue.js>");
  process.exit(2);
}
const wasm = readFileSync(wasmPath);
let glue = readFileSync(gluePath, "utf8");

function uleb(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, pos];
  }
}
function encUleb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}
const encName = (s) => {
  const b = Buffer.from(s, "utf8");
  return Buffer.concat([encUleb(b.length), b]);
};
/** Short names a, b, …, z, A, …, Z, aa, ab, … (valid JavaScript identifiers). */
function shortName(i) {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  do {
    s = alphabet[i % alphabet.length] + s;
    i = Math.floor(i / alphabet.length) - 1;
  } while (i >= 0);
  return s;
}

if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error(`${wasmPath}: not a wasm module`);
const parts = [wasm.subarray(0, 8)];
let pos = 8;
let renamed = 0;
while (pos < wasm.length) {
  const id = wasm[pos];
  const [size, bodyStart] = uleb(wasm, pos + 1);
  const bodyEnd = bodyStart + size;
  if (id !== 2) {
    parts.push(wasm.subarray(pos, bodyEnd));
    pos = bodyEnd;
    continue;
  }
  // The import section: (module, field, description) per import.
  let p = bodyStart;
  let count;
  [count, p] = uleb(wasm, p);
  const body = [encUleb(count)];
  for (let i = 0; i < count; i++) {
    let len;
    [len, p] = uleb(wasm, p);
    const module = wasm.toString("utf8", p, p + len);
    p += len;
    [len, p] = uleb(wasm, p);
    const field = wasm.toString("utf8", p, p + len);
    p += len;
    const descStart = p;
    const kind = wasm[p++];
    if (kind === 0)
      [, p] = uleb(wasm, p); // function: type index
    else if (kind === 1) {
      p += 1; // table: reference type, then limits
      const flags = wasm[p++];
      [, p] = uleb(wasm, p);
      if (flags & 1) [, p] = uleb(wasm, p);
    } else if (kind === 2) {
      const flags = wasm[p++]; // memory: limits
      [, p] = uleb(wasm, p);
      if (flags & 1) [, p] = uleb(wasm, p);
    } else if (kind === 3)
      p += 2; // global: value type, mutability
    else throw new Error(`import ${module}.${field}: unknown kind ${kind}`);
    const desc = wasm.subarray(descStart, p);
    if (module !== MODULE) {
      body.push(encName(module), encName(field), desc);
      continue;
    }
    const short = shortName(renamed++);
    const key = new RegExp(`(?<![\\w$])${field}(?![\\w$])`, "g");
    const uses = glue.match(key)?.length ?? 0;
    const asKey = glue.match(new RegExp(`[{,]${field}:`, "g"))?.length ?? 0;
    if (uses !== 1 || asKey !== 1) {
      throw new Error(
        `${gluePath}: import ${field} appears ${uses} times (${asKey} as a key), want once as a key`,
      );
    }
    glue = glue.replace(key, short);
    body.push(encName("a"), encName(short), desc);
  }
  if (p !== bodyEnd) throw new Error("import section: trailing bytes");
  const section = Buffer.concat(body);
  parts.push(Buffer.from([2]), encUleb(section.length), section);
  pos = bodyEnd;
}
const moduleKey = `"${MODULE}":`;
if (glue.split(moduleKey).length !== 2) {
  throw new Error(`${gluePath}: the imports object's key ${moduleKey} is not there exactly once`);
}
glue = glue.replace(moduleKey, "a:");
writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(gluePath, glue);
console.log(`minify-imports: ${renamed} imports renamed in ${wasmPath} and ${gluePath}`);
