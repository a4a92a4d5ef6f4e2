/**
 * Builds the playground into a temporary directory and starts its real server
 * (server.mjs) on a free port, the way `npm start` does.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const here = fileURLToPath(new URL("..", import.meta.url));

export interface Playground {
  url: string;
  close(): Promise<void>;
}

export async function startPlayground(): Promise<Playground> {
  const dir = await mkdtemp(join(tmpdir(), "weft-playground-"));
  await promisify(execFile)(process.execPath, [join(here, "build.mjs"), dir]);
  const server = spawn(process.execPath, [join(here, "server.mjs"), "--port", "0", "--dir", dir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await listeningUrl(server);
  return {
    url,
    async close() {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The URL the server prints once it listens. */
function listeningUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    server.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    server.once("exit", (code) => reject(new Error(`the playground server exited (${code}): ${out}`)));
  });
}
