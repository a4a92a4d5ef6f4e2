/**
 * Memory soak: 100,000 documents created and dropped — half freed with free(), half
 * left to the FinalizationRegistry (wasm) or the garbage collector (N-API) — must
 * leave memory bounded. Runs in a child process with --expose-gc so collection can
 * be forced between rounds; the figures are printed.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

interface Soak {
  binding: string;
  documents: number;
  freed: number;
  dropped: number;
  rssMb: number[];
  liveMbPerRound: number;
  seconds: number;
}

const child = fileURLToPath(new URL("./soak/child.mjs", import.meta.url));

function soak(binding: "wasm" | "node"): Soak {
  const out = execFileSync(process.execPath, ["--expose-gc", child, binding, "100000", "5"], {
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").at(-1) ?? "") as Soak;
}

describe("memory soak", () => {
  for (const binding of ["wasm", "node"] as const) {
    it(`keeps memory bounded over 100,000 documents (${binding})`, () => {
      const r = soak(binding);
      const growth = Math.max(...r.rssMb) - (r.rssMb[0] ?? 0);
      console.log(
        `soak ${binding}: ${r.documents} documents (${r.freed} freed, ${r.dropped} dropped) in ${r.seconds} s; ` +
          `RSS after each round of ${r.documents / r.rssMb.length}: ${r.rssMb.join(", ")} MB ` +
          `(growth ${growth.toFixed(1)} MB); one round kept alive costs ${r.liveMbPerRound} MB`,
      );
      expect(r.freed + r.dropped).toBe(100_000);
      // Leaking the dropped half would add half a live round per round (about
      // twice a live round over the run); bounded memory stays well under that.
      expect(r.liveMbPerRound).toBeGreaterThan(5);
      expect(growth).toBeLessThan(r.liveMbPerRound / 2);
    });
  }
});
