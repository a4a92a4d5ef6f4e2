// Turns the children's results into markdown: one table per trace, one for the
// merge, one for WASM sizes, and the list of figures where Weft-WASM is not ahead.
import { BASELINE } from "../libs/index.mjs";

const int = (n) => Math.round(n).toLocaleString("en-US");
const ms = (n) => (n >= 100 ? int(n) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const mb = (n) => (n / 1048576).toFixed(2);

/** What each figure is called and how to read it off a result (smaller is better). */
export const FIGURES = {
  replay: { label: "replay ms", get: (r) => r.replayMs, fmt: ms },
  size: { label: "encoded B", get: (r) => r.encodedBytes, fmt: int },
  import: { label: "import ms", get: (r) => r.importTextMs, fmt: ms },
  importFirst: { label: "first import ms", get: (r) => r.importFirstTextMs, fmt: ms },
  memory: { label: "RSS Δ MB", get: (r) => r.rssBytes, fmt: mb },
  // What the library itself holds: the JS heap plus V8's external memory, which
  // counts every WebAssembly module's linear memory (it only grows, so its growth
  // is the most a replay needed at once). RSS also counts the pages V8's
  // optimising compiler used while tiering a module's hot functions up: Weft-WASM's
  // sveltecomponent replay grows RSS 4 MB less under `node --liftoff-only` with
  // the same linear memory. A native addon's heap is in neither, so none is shown.
  held: {
    label: "heap+ext Δ MB",
    get: (r) =>
      r.nativeHeap || r.heapBytes === undefined ? undefined : (r.heldBytes ?? r.heapBytes + r.externalBytes),
    fmt: mb,
  },
  merge: { label: "merge ms", get: (r) => r.mergeMs, fmt: ms },
  wasm: { label: "gzipped module B", get: (r) => r.gzip, fmt: int },
};

/** The figures of a trace's table, in its column order. */
const TRACE_FIGURES = ["replay", "size", "import", "importFirst", "memory", "held"];

function ratio(row, base, fig) {
  if (!row.valid || !base?.valid) return "–";
  const b = fig.get(base);
  const v = fig.get(row);
  if (!(b > 0) || !(v >= 0)) return "–";
  return `${(v / b).toFixed(2)}×`;
}

function cells(row, base, names) {
  return names.flatMap((n) => {
    const fig = FIGURES[n];
    const v = fig.get(row);
    return [v === undefined ? "–" : fig.fmt(v), ratio(row, base, fig)];
  });
}

const validity = (r) => (r.valid ? "yes" : "**INVALID**");

function table(header, rows) {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

function errorList(rows) {
  const bad = rows.filter((r) => !r.valid);
  return bad.map((r) => `- **${r.lib} is INVALID**: ${r.errors.join("; ")}`).join("\n");
}

/** Every (figure, peer) where Weft-WASM is not strictly ahead, worst first. */
export function losses(results) {
  const out = [];
  const scan = (rows, where, names) => {
    const base = rows.find((r) => r.lib === BASELINE);
    for (const r of rows) {
      // Weft's own N-API build is shown beside, but the budget is against peers.
      if (r.lib.startsWith("weft") || !r.valid || !base?.valid) continue;
      for (const n of names) {
        const v = FIGURES[n].get(r);
        const b = FIGURES[n].get(base);
        if (v !== undefined && b !== undefined && v <= b) {
          // A memory delta at or below zero is noise around nothing: no meaningful factor.
          const factor = v > 0 ? b / v : Number.POSITIVE_INFINITY;
          out.push({ where, figure: n, peer: r.lib, weft: b, peerValue: v, factor });
        }
      }
    }
  };
  for (const t of results.traces) scan(t.rows, t.name, TRACE_FIGURES);
  if (results.merge) scan(results.merge.rows, "merge", ["merge"]);
  const weft = results.wasm.find((w) => w.lib === BASELINE);
  for (const w of results.wasm) {
    if (weft && w !== weft && w.gzip <= weft.gzip) {
      out.push({
        where: "wasm",
        figure: "wasm",
        peer: w.lib,
        weft: weft.gzip,
        peerValue: w.gzip,
        factor: weft.gzip / w.gzip,
      });
    }
  }
  return out.sort((a, b) => b.factor - a.factor);
}

export function markdown(results) {
  const out = [];
  const m = results.meta;
  out.push(
    `Run ${m.date} on ${m.machine}; Node ${m.node}; load average ${m.loadBefore} before, ${m.loadAfter} after.`,
  );
  out.push(`Command: \`${m.command}\``);
  out.push("");
  for (const t of results.traces) {
    const base = t.rows.find((r) => r.lib === BASELINE);
    out.push(`### ${t.name} (${int(t.edits)} edits, ${int(t.chars)} final chars)`);
    out.push("");
    const header = ["library", "version"];
    for (const n of TRACE_FIGURES) header.push(FIGURES[n].label, "× Weft");
    header.push("heap Δ MB", "runs: replay / memory", "valid");
    out.push(
      table(
        header,
        t.rows.map((r) => [
          r.lib,
          r.version ?? "–",
          ...cells(r, base, TRACE_FIGURES),
          r.heapBytes === undefined ? "–" : mb(r.heapBytes),
          `${r.replayRuns ?? "–"} / ${r.memRuns ?? 1}`,
          validity(r),
        ]),
      ),
    );
    const errs = errorList(t.rows);
    if (errs) out.push("", errs);
    out.push("");
  }
  if (results.merge) {
    const rows = results.merge.rows;
    const base = rows.find((r) => r.lib === BASELINE);
    out.push(`### Merge of two concurrent ${int(results.merge.opsPerSide)}-op histories`);
    out.push("");
    out.push(
      table(
        ["library", "version", "merge ms", "× Weft", "update B", "runs", "valid"],
        rows.map((r) => [
          r.lib,
          r.version ?? "–",
          ...cells(r, base, ["merge"]),
          r.updateBytes === undefined ? "–" : int(r.updateBytes),
          r.mergeRuns ?? "–",
          validity(r),
        ]),
      ),
    );
    const errs = errorList(rows);
    if (errs) out.push("", errs);
    out.push("");
  }
  if (results.wasm.length > 0) {
    out.push("### WebAssembly module, gzip -9");
    out.push("");
    const weft = results.wasm.find((w) => w.lib === BASELINE);
    out.push(
      table(
        ["library", "raw B", "gzip B", "× Weft"],
        results.wasm.map((w) => [
          w.lib,
          int(w.raw),
          int(w.gzip),
          weft ? `${(w.gzip / weft.gzip).toFixed(2)}×` : "–",
        ]),
      ),
    );
    out.push("");
  }
  const lost = losses(results);
  out.push("### Where Weft-WASM is not ahead");
  out.push("");
  const baselineValid = [...results.traces.flatMap((t) => t.rows), ...(results.merge?.rows ?? [])]
    .filter((r) => r.lib === BASELINE)
    .every((r) => r.valid);
  if (!baselineValid) out.push("Weft-WASM has no valid result for some figures: those were not compared.");
  else if (lost.length === 0) out.push("Nowhere: ahead of every valid peer on every figure.");
  for (const l of lost) {
    const f = FIGURES[l.figure];
    out.push(
      `- ${l.where}, ${f.label}: ${l.peer} ${f.fmt(l.peerValue)} vs Weft-WASM ${f.fmt(l.weft)} (Weft ${Number.isFinite(l.factor) ? `${l.factor.toFixed(2)}×` : "more than"} of it)`,
    );
  }
  const invalid = [...results.traces.flatMap((t) => t.rows), ...(results.merge?.rows ?? [])].filter(
    (r) => !r.valid,
  );
  if (invalid.length > 0)
    out.push("", `**${invalid.length} INVALID result(s)**: see the notes under the tables.`);
  return out.join("\n");
}
