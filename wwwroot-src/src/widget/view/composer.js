// The message box: grows with its text, Enter sends (Shift+Enter for a new line), the send button only with text;
// the paperclip picks files, and a pasted image is attached (drag and drop is the panel's: panel.js).

import { el } from "../../render/dom.js";
import * as ICONS from "../../render/icons.js";
import { t } from "../i18n.js";
import { createEmojiButton } from "./emoji-button.js";

const MAX_HEIGHT_PX = 120;

export function createComposer({ canSend, onSend, onTyped, onBlur, onFiles, server }) {
  const input = el("textarea", {
    class: "input", rows: "1", placeholder: t("composer.placeholder"), "aria-label": t("composer.label"), maxlength: "16384",
    oninput: () => {
      changed();
      onTyped(input.value.trim().length > 0, input.value);
    },
    onkeydown: (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
    },
    onblur: () => onBlur(),
    onpaste: (e) => {
      const files = Array.from(e.clipboardData?.files || []);
      if (files.length) { e.preventDefault(); onFiles(files); }
    },
  });
  const picker = el("input", { type: "file", multiple: true, hidden: true, class: "file-picker", "aria-hidden": "true", tabindex: "-1",
    onchange: () => {
      const files = Array.from(picker.files || []);
      picker.value = "";
      if (files.length) onFiles(files);
    } });
  const attach = el("button", { class: "attach", type: "button", "aria-label": t("composer.attach"), title: t("composer.attach"), html: ICONS.clip,
    onclick: () => picker.click() });
  const button = el("button", { class: "send", type: "button", "aria-label": t("composer.send"), disabled: true, html: ICONS.send, onclick: submit });

  const emoji = createEmojiButton(server, input, () => {
    changed();
    onTyped(input.value.trim().length > 0);
  });

  function changed() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, MAX_HEIGHT_PX) + "px";
    button.disabled = !input.value.trim();
  }

  function submit() {
    const text = input.value;
    if (!text.trim() || !canSend()) return;
    input.value = "";
    changed();
    onSend(text);
  }

  return { node: el("div", { class: "composer" }, [attach, picker, input, emoji.button, button]), input, emojiPopover: emoji.popover };
}
