// The Settings view's form controls: labelled fields, the error line under a form, copyable text and secrets shown
// once. Data only ever reaches the page through textContent and attributes (render/dom.js's el), never innerHTML.

import { el } from "../../render/dom.js";

/** A labelled input. */
export function field(label, input) {
  return el("label", { class: "admin-field" }, el("span", {}, label), input);
}

/** The line next to a form where the API's errors appear. */
export function errorLine() {
  const line = el("p", { class: "admin-error", role: "alert", hidden: true });
  return {
    node: line,
    show(message) { line.textContent = message; line.hidden = !message; },
    clear() { line.textContent = ""; line.hidden = true; },
  };
}

/** Read-only text with a Copy button: the clipboard when the browser allows it, else the text selected for Ctrl+C. */
export function copyable(text, label) {
  const box = el("textarea", { class: "admin-copy-text", readonly: true, rows: 2, spellcheck: "false", "aria-label": label });
  box.value = text;
  const state = el("span", { class: "admin-copy-state", role: "status" });
  const button = el("button", { class: "btn", type: "button", onclick: () => copy(box, state) }, "Copy");
  return el("div", { class: "admin-copy" }, box, el("div", { class: "admin-copy-actions" }, button, state));
}

async function copy(box, state) {
  try {
    await navigator.clipboard.writeText(box.value);
    state.textContent = "Copied";
  } catch {
    // No clipboard (plain http, or permission refused): select it so the user copies by hand.
    box.focus();
    box.select();
    state.textContent = "Selected: press Ctrl+C";
  }
}

/** A secret shown once (an access token, a signing secret), with its warning. */
export function shownOnce(what, secret) {
  return el("div", { class: "admin-once", role: "status" },
    el("p", { class: "admin-once-warning" }, `${what}: copy it now, it will not be shown again.`),
    copyable(secret, what));
}
