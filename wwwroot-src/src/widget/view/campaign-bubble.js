// The campaign's bubble above the closed launcher (campaigns.js decides when), and the campaign's message at the top of
// the panel once the visitor opened it, until the conversation starts (the server stores it as the first message).

import { initials, personAvatar } from "../../render/avatar.js";
import { el } from "../../render/dom.js";
import * as ICONS from "../../render/icons.js";
import { markdownNode, markdownText } from "../../render/markdown.js";
import { t } from "../i18n.js";

export const CAMPAIGN_CSS = [
  ".campaign{position:relative;max-width:300px;background:#fff;border-radius:14px;box-shadow:0 8px 28px rgba(17,24,39,.16);animation:rise .25s ease}",
  ".campaign-body{display:flex;gap:10px;align-items:flex-start;padding:14px 34px 14px 14px;border:0;background:none;text-align:left;width:100%}",
  ".campaign-text{display:flex;flex-direction:column;min-width:0}.campaign-text b{font-size:13px}",
  ".campaign-text span{color:var(--ink);display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}",
  ".campaign-close{position:absolute;top:8px;right:8px;width:22px;height:22px;border:0;background:none;color:var(--muted);padding:3px;border-radius:50%}",
  ".campaign-close svg{width:100%;height:100%}",
].join("\n");

const senderName = (app) => app.state.campaign?.sender?.name || app.state.inbox?.name || t("panel.support");

/** @param actions {open(), dismiss()} */
export function createCampaignBubble(app, actions) {
  const node = el("div", { class: "campaign", hidden: true });
  let shownId = null;

  function update() {
    const c = app.state.campaign;
    node.hidden = app.state.open || !c;
    if (!c || app.state.open || shownId === c.id) return;
    shownId = c.id;
    const name = senderName(app);
    node.replaceChildren(
      el("button", { type: "button", class: "campaign-body", "aria-label": t("campaign.open", { name }), onclick: actions.open }, [
        personAvatar(name, c.sender?.avatar_url || null, app.config.server),
        el("span", { class: "campaign-text" }, [el("b", { text: name }), el("span", { text: markdownText(c.message) })]),
      ]),
      el("button", { type: "button", class: "campaign-close", "aria-label": t("preview.dismiss"), html: ICONS.close, onclick: actions.dismiss }),
    );
  }

  return { node, update };
}

/** The log's entry for an opened campaign before the conversation exists. */
export function campaignEntries(app, entry) {
  const c = app.state.campaign;
  if (!c || !c.accepted || app.state.conversation) return;
  const name = senderName(app);
  entry(`campaign:${c.id}`, c.message + name, () => el("div", { class: "row them first last campaign-message" }, [
    c.sender?.avatar_url ? personAvatar(name, c.sender.avatar_url, app.config.server) : el("span", { class: "avatar", text: initials(name) }),
    el("div", { class: "stack" }, [el("div", { class: "sender", text: name }), el("div", { class: "bubble" }, [markdownNode(c.message)])]),
  ]));
}
