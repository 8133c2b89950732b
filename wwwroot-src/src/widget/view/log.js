// The message log: the greeting or "load earlier", day separators, the messages in groups (the customer's own with
// their delivery state, agents' with their name, avatar, files and interactive controls), the resolved notice or the
// pre-chat form. Entries are rebuilt only when their signature changes, so screen readers hear only what is new.

import { attachmentNodes, attachmentsSignature } from "../../render/attachments.js";
import { initials, personAvatar } from "../../render/avatar.js";
import { el, reconcile } from "../../render/dom.js";
import * as ICONS from "../../render/icons.js";
import { markdownNode } from "../../render/markdown.js";
import { dayLabel, timeLabel } from "../format.js";
import { t } from "../i18n.js";
import { timeline } from "../../render/timeline.js";
import { deliveryOf } from "../conversation.js";
import { awayEntries } from "./away.js";
import { campaignEntries } from "./campaign-bubble.js";
import { postChatEntries } from "../post-chat.js";
import { interactiveNode, interactiveSignature } from "./interactive.js";
import { formShown } from "../prechat.js";
import { inboxFormSignature, inboxPrechatForm, prechatForm } from "./prechat.js";

/** An agent message's sender as the customer sees it. */
export const agentName = (m) => m.sender?.name || t("panel.support");
/** An agent message's sender's avatar (a path on the server), if the agent chose one. */
export const agentAvatar = (m) => m.sender?.avatarUrl || m.sender?.avatar_url || null;

// The outbox's failure texts (protocol/errors.js, English for both front ends) as the widget says them.
const FAILURES = { "Not sent": "status.notSent", "Too long to send": "status.tooLong" };
const failureText = (error) => (!error ? t("status.notSent") : FAILURES[error] ? t(FAILURES[error]) : error);

/** The log's messages in order: those held, then own messages still in the outbox (as pending). */
export function logItems(state, outboxItems) {
  const items = [...state.messages.values()].sort((a, b) => a.id - b.id);
  for (const o of outboxItems) {
    items.push({ pending: true, failed: o.failed, error: o.error, echoId: o.echoId, content: o.content, createdAt: o.createdAt, messageType: 0,
      attachments: o.attachments || [] });
  }
  return items;
}

/** @param app {config, state, outbox, loadOlder, retry, answer, send}
 *  @param view {startNew, openImage(url, name), focusComposer, composerNext(): the composer has the focus after the next draw} */
export function createLog(app, view) {
  const { config, state } = app;
  const node = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": t("log.messages") });
  const cache = new Map(); // entry key -> {sig, node}
  const controlsCache = new Map(); // message id -> {sig, node}

  function update() {
    reconcile(node, entries(), cache);
  }

  function entries() {
    const list = [];
    const entry = (key, sig, build) => list.push({ key, sig, build });
    const inboxName = state.inbox?.name || t("panel.support");
    const greeting = state.inbox && state.inbox.greetingEnabled && state.inbox.greetingMessage;
    if (state.hasOlder || state.loadingOlder) {
      entry("older", String(state.loadingOlder), () => el("div", { class: "older" }, [el("button", {
        type: "button", class: "link", disabled: state.loadingOlder, onclick: app.loadOlder,
        text: state.loadingOlder ? t("log.loadingEarlier") : t("log.loadEarlier"),
      })]));
    } else if (greeting) {
      entry("greeting", greeting + inboxName, () => el("div", { class: "row them first last greeting" }, [
        el("span", { class: "avatar", text: initials(inboxName) }),
        el("div", { class: "stack" }, [el("div", { class: "sender", text: inboxName }), el("div", { class: "bubble", dir: "auto" }, [markdownNode(greeting)])]),
      ]));
    }

    campaignEntries(app, entry); // an opened campaign's message, until the conversation starts with it
    const rows = timeline(logItems(state, app.outbox.items), (a, b) => a.messageType === 0 || agentName(a) === agentName(b));
    for (const row of rows) {
      if (row.day) {
        const label = dayLabel(row.at);
        entry(`day:${row.day}`, label, () => el("div", { class: "day", role: "separator" }, [el("span", { text: label })]));
      } else if (row.activity) {
        const m = row.activity;
        entry(`m:${m.id}`, m.content, () => el("div", { class: "activity", text: m.content }));
      } else {
        const { message: m, first, last } = row;
        const mine = m.messageType === 0;
        const status = m.pending ? (m.failed ? "failed" : "sending") : deliveryOf(state, m);
        const sig = [m.content, first, last, status, m.error, mine ? "" : agentName(m), mine ? "" : agentAvatar(m), timeLabel(m.createdAt),
          interactiveSignature(m, state.answering[m.id]), attachmentsSignature(m)].join("\u0001");
        entry(m.echoId ? `e:${m.echoId}` : `m:${m.id}`, sig, () => messageNode(m, mine, first, last, status));
      }
    }

    postChatEntries(app, entry); // the post-chat form, once the CSAT rating is in
    awayEntries(app, entry); // nobody there: the out-of-office notice and the email collect
    if (state.conversation && state.conversation.status === "resolved" && !state.fresh) {
      entry(`resolved:${state.conversation.id}`, "", () => el("div", { class: "resolved" }, [
        el("span", { class: "resolved-icon", html: ICONS.resolved }),
        el("p", { class: "resolved-title", text: t("resolved.title") }),
        el("p", { class: "resolved-text", text: t("resolved.text") }),
        el("button", { type: "button", class: "primary", text: t("resolved.startNew"), onclick: view.startNew }),
      ]));
    } else if (formShown(state, config)) {
      entry("inbox-prechat", inboxFormSignature(app), () => inboxPrechatForm(app, view.composerNext));
    } else if (!state.inbox?.preChatFormEnabled && !state.conversation && !state.identity && config.prechat && !(config.name && config.email) && !state.fatal) {
      entry("prechat", "", () => prechatForm(config, state.prechat, view.focusComposer));
    }
    return list;
  }

  function messageNode(m, mine, first, last, status) {
    const attrs = { class: `row ${mine ? "me" : "them"}${first ? " first" : ""}${last ? " last" : ""}`, "data-status": status || null };
    if (m.id) attrs["data-message-id"] = m.id;
    let meta = null;
    if (last || status === "failed" || status === "sending") {
      const parts = [el("time", { text: timeLabel(m.createdAt) })];
      if (status === "sending") parts.push(el("span", { class: "state sending", html: ICONS.clock }), el("span", { class: "state-text", text: t("status.sending") }));
      if (status === "sent") parts.push(el("span", { class: "state sent", html: ICONS.check }), el("span", { class: "state-text", text: t("status.sent") }));
      if (status === "read") parts.push(el("span", { class: "state read", html: ICONS.checks }), el("span", { class: "state-text", text: t("status.read") }));
      if (status === "failed") {
        parts.push(el("span", { class: "state failed", html: ICONS.alert }), el("span", { class: "state-text failed", text: failureText(m.error) }),
          el("button", { type: "button", class: "link retry", text: t("status.retry"), onclick: () => app.retry(m.echoId) }));
      }
      meta = el("div", { class: "meta" }, parts);
    }
    return el("div", attrs, [
      mine ? null : first ? personAvatar(agentName(m), agentAvatar(m), config.server) : el("span", { class: "avatar spacer", "aria-hidden": "true" }),
      el("div", { class: "stack" }, [
        !mine && first ? el("div", { class: "sender", text: agentName(m) }) : null,
        el("span", { class: "sr-only", text: mine ? t("log.youSaid") : t("log.agentSaid", { name: agentName(m) }) }),
        m.content ? el("div", { class: "bubble", dir: "auto" }, [markdownNode(m.content)]) : null,
        attachmentNodes(m, config.server, view.openImage),
        mine || m.pending ? null : controlsOf(m),
        meta,
      ]),
    ]);
  }

  /** An interactive message's controls, kept while its attributes stay the same: a row rebuilt because the
   *  grouping changed (a newer message) keeps what the customer has picked or typed. */
  function controlsOf(m) {
    const sig = interactiveSignature(m, state.answering[m.id]);
    let hit = controlsCache.get(m.id);
    if (!hit || hit.sig !== sig) {
      hit = { sig, node: interactiveNode(m, { answer: app.answer, say: app.send, answering: state.answering[m.id] }) };
      controlsCache.set(m.id, hit);
    }
    return hit.node;
  }

  return { node, update };
}
