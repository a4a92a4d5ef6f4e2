// A small static server for the built playground, on 127.0.0.1 only.
// Usage: node server.mjs [--port N] [--dir DIR]   (port 0 picks a free one)
// Prints "playground: http://127.0.0.1:PORT/" once listening; serves until killed.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".wasm": "application/wasm",
};

const { values } = parseArgs({
  options: { port: { type: "string", default: process.env.PORT ?? "8080" }, dir: { type: "string" } },
});
const root = resolve(values.dir ?? join(dirname(fileURLToPath(import.meta.url)), "dist"));

const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
  const file = join(root, path.endsWith("/") ? `${path}index.html` : path);
  // Never serve anything outside the build directory.
  if (!file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  }
});

server.listen(Number(values.port), "127.0.0.1", () => {
  console.log(`playground: http://127.0.0.1:${server.address().port}/`);
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
