/**
 * Maps between DOM positions in a rendered editor and UTF-16 indices of its text.
 * The text is exactly the editor's text nodes in order (line-break fillers are
 * elements, so they count for nothing), which is what `Range.toString()` measures.
 */
import type { Selection } from "../protocol.js";

/** The UTF-16 index of a DOM position inside `root`. */
export function indexAt(root: HTMLElement, node: Node, offset: number): number {
  const range = document.createRange();
  range.setStart(root, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** The DOM position of a UTF-16 index: inside the text node that holds it. */
export function pointAt(root: HTMLElement, index: number): [Node, number] {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let left = index;
  let last: Text | undefined;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (left <= node.length) return [node, left];
    left -= node.length;
    last = node;
  }
  return last ? [last, last.length] : [root, 0];
}

/** The selection inside `root`, or undefined if it lies elsewhere. */
export function readSelection(root: HTMLElement): Selection | undefined {
  const sel = document.getSelection();
  if (!sel || sel.rangeCount === 0 || !sel.anchorNode || !sel.focusNode) return undefined;
  if (!root.contains(sel.anchorNode) || !root.contains(sel.focusNode)) return undefined;
  return {
    anchor: indexAt(root, sel.anchorNode, sel.anchorOffset),
    focus: indexAt(root, sel.focusNode, sel.focusOffset),
  };
}

/** Puts the document's selection at `selection` inside `root`. */
export function writeSelection(root: HTMLElement, selection: Selection): void {
  const [anchorNode, anchorOffset] = pointAt(root, selection.anchor);
  const [focusNode, focusOffset] = pointAt(root, selection.focus);
  document.getSelection()?.setBaseAndExtent(anchorNode, anchorOffset, focusNode, focusOffset);
}

/** Where on screen index `index` is, relative to `frame`. */
export function caretBox(root: HTMLElement, frame: HTMLElement, index: number) {
  const [node, offset] = pointAt(root, index);
  const range = document.createRange();
  range.setStart(node, offset);
  range.collapse(true);
  const rect = range.getClientRects()[0] ?? root.getBoundingClientRect();
  const origin = frame.getBoundingClientRect();
  const style = getComputedStyle(root);
  const height = rect.height || Number.parseFloat(style.lineHeight) || 18;
  const left = rect.height ? rect.left : rect.left + Number.parseFloat(style.paddingLeft);
  const top = rect.height ? rect.top : rect.top + Number.parseFloat(style.paddingTop);
  return { left: left - origin.left, top: top - origin.top, height };
}
