// The launcher (the round button in the page's corner: opens and closes the panel, with the unread count) and the
// preview beside it: the newest unseen agent message while the panel is closed.

import { personAvatar } from "../../render/avatar.js";
import { el } from "../../render/dom.js";
import * as ICONS from "../../render/icons.js";
import { markdownText } from "../../render/markdown.js";
import { t } from "../i18n.js";
import { agentAvatar, agentName } from "./log.js";

/** @param actions {toggle(), open(), dismissPreview()}
 *  @param server the ChatHub origin (agents' avatars are paths on it) */
export function createLauncher(actions, server = "") {
  const badge = el("span", { class: "badge", hidden: true, "aria-hidden": "true" });
  const button = el("button", {
    class: "launcher", type: "button", "aria-label": t("launcher.open"), "aria-expanded": "false", "aria-controls": "chathub-panel",
    onclick: actions.toggle,
  }, [el("span", { class: "launcher-icon icon-chat", html: ICONS.chat }), el("span", { class: "launcher-icon icon-down", html: ICONS.down }), badge]);
  const preview = el("div", { class: "preview", hidden: true });

  function update(state) {
    const unread = state.unread.size;
    button.setAttribute("aria-expanded", String(state.open));
    button.setAttribute("aria-label", state.open ? t("launcher.close") : unread ? t("launcher.openUnread", { count: unread }) : t("launcher.open"));
    badge.hidden = state.open || !unread;
    badge.textContent = unread > 9 ? "9+" : String(unread);
  }

  function updatePreview(state) {
    const p = state.preview;
    preview.hidden = state.open || !p;
    if (!p || state.open) return;
    preview.replaceChildren(
      el("button", { type: "button", class: "preview-body", "aria-label": t("preview.open", { name: agentName(p) }), onclick: actions.open }, [
        personAvatar(agentName(p), agentAvatar(p), server),
        el("span", { class: "preview-text" }, [el("b", { text: agentName(p) }), el("span", { text: markdownText(p.content) })]),
      ]),
      el("button", { type: "button", class: "preview-close", "aria-label": t("preview.dismiss"), html: ICONS.close, onclick: actions.dismissPreview }),
    );
  }

  return { button, preview, update, updatePreview };
}
