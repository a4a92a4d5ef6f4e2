/**
 * The markup around one editor: its name, online switch, toolbar, the editable
 * surface and a status line.
 */

export interface Chrome {
  panel: HTMLElement;
  /** Positions the editable surface and the peers' carets drawn over it. */
  frame: HTMLElement;
  root: HTMLElement;
  online: HTMLInputElement;
  buttons: Record<ButtonName, HTMLButtonElement>;
  status: HTMLElement;
}

export type ButtonName = "bold" | "italic" | "underline" | "link" | "comment" | "undo" | "redo";

const BUTTONS: [ButtonName, string, string][] = [
  ["bold", "B", "Bold (Ctrl+B)"],
  ["italic", "I", "Italic (Ctrl+I)"],
  ["underline", "U", "Underline (Ctrl+U)"],
  ["link", "Link", "Link (Ctrl+K)"],
  ["comment", "Comment", "Comment the selection"],
  ["undo", "↶", "Undo (Ctrl+Z)"],
  ["redo", "↷", "Redo (Ctrl+Shift+Z)"],
];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

export function buildChrome(name: string, color: string): Chrome {
  const panel = el("section", "editor");
  panel.dataset.editor = name;
  panel.style.setProperty("--own", color);

  const head = el("header", "head");
  const title = el("h2", "name");
  title.textContent = name;
  const switchLabel = el("label", "online");
  const online = el("input", "");
  online.type = "checkbox";
  online.checked = true;
  switchLabel.append(online, " online");
  head.append(title, switchLabel);

  const toolbar = el("div", "toolbar");
  const buttons = {} as Record<ButtonName, HTMLButtonElement>;
  for (const [key, text, label] of BUTTONS) {
    const button = el("button", `tool tool-${key}`);
    button.type = "button";
    button.textContent = text;
    button.title = label;
    button.setAttribute("aria-label", label);
    // Keep the focus, and so the selection, in the text while clicking a tool.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    buttons[key] = button;
    toolbar.append(button);
  }

  const frame = el("div", "frame");
  const root = el("div", "surface");
  root.contentEditable = "true";
  root.spellcheck = false;
  root.setAttribute("role", "textbox");
  root.setAttribute("aria-multiline", "true");
  root.setAttribute("aria-label", `${name}'s text`);
  frame.append(root);

  const status = el("p", "status");
  panel.append(head, toolbar, frame, status);
  return { panel, frame, root, online, buttons, status };
}
