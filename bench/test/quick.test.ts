// The side-by-side benchmark's --quick mode on the smallest trace: every library
// loads, replays, encodes, imports and merges, and its text is checked, so the
// harness cannot rot between the (long, manual) full runs. It asserts correctness
// only; the figures it prints are not judged here.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
// A plain ES module (bench/ is not type-checked).
import { mergeOps } from "../lib/merge-ops.mjs";
import { FIGURES } from "../lib/report.mjs";

const run = fileURLToPath(new URL("../run.mjs", import.meta.url));
const shared =
  process.env.WEFT_TRACES_DIR ?? fileURLToPath(new URL("../../../shared/data/traces", import.meta.url));

/** Without the shared traces (a fresh clone), a generated one in the same format. */
function tracesDir(): string {
  if (existsSync(shared)) return shared;
  const dir = mkdtempSync(join(tmpdir(), "weft-bench-"));
  const { txns, expected } = mergeOps(7, 5000) as { txns: unknown[][]; expected: string };
  const trace = {
    startContent: "",
    endContent: expected,
    txns: txns.map((patches) => ({ time: "", patches })),
  };
  writeFileSync(join(dir, "generated.json.gz"), gzipSync(JSON.stringify(trace)));
  return dir;
}
const LIBS = ["weft-wasm", "weft-node", "yjs", "ywasm", "automerge", "loro", "diamond-types", "json-joy"];

interface Row {
  lib: string;
  valid: boolean;
  errors: string[];
  replayMs?: number;
  encodedBytes?: number;
  importTextMs?: number;
  importFirstTextMs?: number;
  heapBytes?: number;
  externalBytes?: number;
  nativeHeap?: boolean;
  rssBytes?: number;
  heldBytes?: number;
  memRuns?: number;
  memSamples?: { rssBytes: number; heapBytes: number; heldBytes?: number }[];
  mergeMs?: number;
  converged?: boolean;
}

describe("bench --quick", () => {
  it("runs every library on the smallest trace and the merge, all texts correct", () => {
    const env = { ...process.env, WEFT_TRACES_DIR: tracesDir() };
    const r = spawnSync(process.execPath, [run, "--quick", "--json"], {
      encoding: "utf8",
      env,
      timeout: 110_000,
    });
    expect(r.stderr).not.toContain("INVALID");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { traces: { rows: Row[] }[]; merge: { rows: Row[] } };
    expect(out.traces).toHaveLength(1);
    const rows = out.traces[0].rows;
    expect(rows.map((x) => x.lib)).toEqual(LIBS);
    for (const row of rows) {
      expect(row.errors, row.lib).toEqual([]);
      expect(row.replayMs, row.lib).toBeGreaterThan(0);
      expect(row.encodedBytes, row.lib).toBeGreaterThan(0);
      expect(row.importTextMs, row.lib).toBeGreaterThan(0);
      expect(row.importFirstTextMs, row.lib).toBeGreaterThan(0);
      // The memory figures are medians over fresh processes (two in --quick): the
      // trace run's and one that only replays. What a library holds is read off
      // V8's heap and external memory, except for the N-API build, whose native
      // heap neither counts.
      const samples = row.memSamples ?? [];
      expect(row.memRuns, row.lib).toBe(2);
      expect(samples, row.lib).toHaveLength(2);
      const mean = (xs: number[]) => (xs[0] + xs[1]) / 2;
      expect(FIGURES.memory.get(row), row.lib).toBe(mean(samples.map((m) => m.rssBytes)));
      const held = FIGURES.held.get(row);
      if (row.lib === "weft-node") expect(held, row.lib).toBeUndefined();
      else {
        expect(held, row.lib).toBe(mean(samples.map((m) => m.heldBytes ?? Number.NaN)));
        expect(samples[0].heldBytes, row.lib).toBe(
          (samples[0].heapBytes ?? Number.NaN) + (row.externalBytes ?? Number.NaN),
        );
      }
    }
    expect(out.merge.rows.map((x) => x.lib)).toEqual(LIBS);
    for (const row of out.merge.rows) {
      expect(row.errors, row.lib).toEqual([]);
      expect(row.converged, row.lib).toBe(true);
    }
  }, 120_000);
});
