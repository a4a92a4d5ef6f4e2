/**
 * Turns the core's formatted runs into DOM: each mark becomes the element that shows
 * it, nested in a fixed order so equal runs always give equal markup.
 */
import type { Attributes, DeltaRun, WeftValue } from "@weft/sdk/backend";

type Wrap = (value: WeftValue, comments: Record<string, string>) => HTMLElement;

const element = (tag: string) => () => document.createElement(tag);

/** Outermost first. Marks not listed here show as a span naming them. */
const MARKS: [string, Wrap][] = [
  ["link", linkElement],
  ["comment", commentElement],
  ["bold", element("strong")],
  ["italic", element("em")],
  ["underline", element("u")],
  ["strike", element("s")],
  ["code", element("code")],
];

function linkElement(value: WeftValue): HTMLElement {
  const a = document.createElement("a");
  if (typeof value === "string") {
    a.href = value;
    a.title = value;
  }
  return a;
}

function commentElement(value: WeftValue, comments: Record<string, string>): HTMLElement {
  const mark = document.createElement("mark");
  const ids = Array.isArray(value) ? value : [value];
  mark.title = ids.map((id) => comments[String(id)] ?? String(id)).join("\n");
  mark.dataset.comments = ids.map(String).join(" ");
  return mark;
}

function wrap(text: string, attributes: Attributes, comments: Record<string, string>): Node {
  let node: Node = document.createTextNode(text);
  const known = new Set(MARKS.map(([name]) => name));
  for (const name of Object.keys(attributes).sort()) {
    if (known.has(name)) continue;
    const span = document.createElement("span");
    span.dataset.mark = name;
    span.append(node);
    node = span;
  }
  for (const [name, make] of [...MARKS].reverse()) {
    const value = attributes[name];
    if (value === undefined || value === null || value === false) continue;
    const outer = make(value, comments);
    outer.append(node);
    node = outer;
  }
  return node;
}

/** The DOM for `runs`. A trailing line break needs a filler, or its empty line would not show. */
export function renderRuns(runs: DeltaRun[], comments: Record<string, string> = {}): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let text = "";
  for (const run of runs) {
    fragment.append(wrap(run.insert, run.attributes ?? {}, comments));
    text += run.insert;
  }
  if (text === "" || text.endsWith("\n")) fragment.append(document.createElement("br"));
  return fragment;
}

/** Whether every character of [start, end) carries mark `name`. */
export function marked(runs: DeltaRun[], start: number, end: number, name: string): boolean {
  let at = 0;
  for (const run of runs) {
    const next = at + run.insert.length;
    if (next > start && at < end) {
      const value = run.attributes?.[name];
      if (value === undefined || value === null || value === false) return false;
    }
    at = next;
  }
  return end > start;
}

/** The plain text of `runs`. */
export function plain(runs: DeltaRun[]): string {
  return runs.map((run) => run.insert).join("");
}
