// The composer's emoji button and the picker it opens above the message box (../emoji.js loads the picker on first
// use). The button says whether the picker is open (aria-expanded); choosing an emoji puts it at the caret and returns
// to the message box; Escape (or the button again) closes the picker and returns focus to the button.

import { el } from "../../render/dom.js";
import { createPickerElement, emojiLoader } from "../emoji.js";
import { t } from "../i18n.js";

const SMILE = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><circle cx="12" cy="12" r="10"/><path d="M8 14s1.5 2 4 2 4-2 4-2"/><line x1="9" y1="9" x2="9.01" y2="9"/><line x1="15" y1="9" x2="15.01" y2="9"/></svg>';

/** @param server the ChatHub origin; @param input the message box (a textarea); @param changed() after an insertion */
export function createEmojiButton(server, input, changed) {
  const load = emojiLoader(server);
  const popover = el("div", { class: "emoji-popover", id: "chathub-emoji", hidden: true,
    onkeydown: (e) => { if (e.key === "Escape") { e.stopPropagation(); close(true); } } });
  const button = el("button", { class: "attach emoji-button", type: "button", "aria-label": t("composer.emoji"), title: t("composer.emoji"),
    "aria-expanded": "false", "aria-controls": "chathub-emoji", html: SMILE, onclick: () => (popover.hidden ? open() : close(true)) });
  let picker = null;

  async function open() {
    popover.hidden = false;
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-label", t("composer.emojiClose"));
    try {
      if (!picker) {
        picker = createPickerElement(server, await load());
        picker.addEventListener("emoji-click", (e) => insert(e.detail.unicode));
        popover.append(picker);
      }
      // Into the picker's search box, once it has drawn.
      setTimeout(() => picker.shadowRoot?.querySelector("input")?.focus(), 50);
    } catch {
      close(false);
    }
  }

  function close(focusButton) {
    popover.hidden = true;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-label", t("composer.emoji"));
    if (focusButton) button.focus();
  }

  function insert(text) {
    if (!text) return;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? input.value.length;
    input.value = input.value.slice(0, start) + text + input.value.slice(end);
    input.selectionStart = input.selectionEnd = start + text.length;
    close(false);
    input.focus();
    changed();
  }

  return { button, popover };
}

export const EMOJI_CSS = [
  ".emoji-popover{position:absolute;inset-inline:8px;bottom:64px;z-index:4;box-shadow:0 10px 30px rgba(17,24,39,.2);border-radius:12px;overflow:hidden;background:#fff}",
  ".emoji-popover emoji-picker{width:100%;height:320px;--border-size:0;--num-columns:8}",
].join("\n");
