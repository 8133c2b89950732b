// The chat panel: the header (who answers, the inbox's availability or who is typing, close), the connection banner,
// the scrolling log with the typing row, the end line (why the chat cannot work), files on their way, the message
// box and a lightbox for images. Files dropped anywhere on the panel are attached.

import { initials, personAvatar } from "../../render/avatar.js";
import { el } from "../../render/dom.js";
import * as ICONS from "../../render/icons.js";
import { headerLine } from "../availability.js";
import { formShown } from "../prechat.js";
import { t } from "../i18n.js";
import { createComposer } from "./composer.js";
import { agentAvatar, agentName } from "./log.js";
import { createPredictedAgent } from "./predicted-agent.js";
import { drawUploads } from "./upload-list.js";

/** @param app {config, state, send, typed, stopTyping, attach, loadOlder}
 *  @param parts {log: the log's node, close(): closes the panel (Escape, the close button)} */
export function createPanel(app, parts) {
  const { config, state } = app;
  const title = el("h2", { class: "title", id: "chathub-title", text: config.title || t("panel.defaultTitle") });
  const subtitle = el("p", { class: "subtitle", text: headerLine(null, new Date()) });
  const avatars = el("div", { class: "avatars", "aria-hidden": "true" });
  const predictedAgent = createPredictedAgent();
  const banner = el("div", { class: "banner", role: "status", hidden: true });
  const typing = el("div", { class: "typing-row", hidden: true }, [
    el("span", { class: "avatar small", "aria-hidden": "true" }),
    el("span", { class: "typing-bubble", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
    el("span", { class: "sr-only", role: "status" }),
  ]);
  const scroller = el("div", { class: "body", onscroll: () => { if (scroller.scrollTop < 60) app.loadOlder(); } }, [parts.log, typing]);
  const end = el("div", { class: "end" });
  const composer = createComposer({
    canSend: () => !state.fatal,
    onSend: app.send,
    onTyped: app.typed,
    onBlur: app.stopTyping,
    onFiles: app.attach,
    server: config.server,
  });
  const uploads = el("div", { class: "uploads", hidden: true });
  const lightbox = el("div", { class: "lightbox", hidden: true, role: "dialog", "aria-label": t("panel.image"), tabindex: "-1",
    onclick: closeImage, onkeydown: (e) => { if (e.key === "Escape") { e.stopPropagation(); closeImage(); } } });
  const footer = el("div", { class: "footer" }, [document.createTextNode(`${t("panel.poweredBy")} `), el("b", { text: "ChatHub" })]);
  const close = el("button", { class: "close", type: "button", "aria-label": t("panel.close"), html: ICONS.close, onclick: () => parts.close() });
  const node = el("section", {
    class: "panel", id: "chathub-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "chathub-title", hidden: true,
    onkeydown: (e) => { if (e.key === "Escape") { e.stopPropagation(); parts.close(); } },
  }, [
    el("header", { class: "header" }, [avatars, el("div", { class: "heading" }, [title, subtitle, predictedAgent.node]), close]),
    banner,
    scroller,
    end,
    uploads,
    composer.emojiPopover,
    composer.node,
    footer,
    lightbox,
  ]);

  node.addEventListener("dragover", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    node.classList.add("dropping");
  });
  node.addEventListener("dragleave", (e) => { if (e.target === node || !node.contains(e.relatedTarget)) node.classList.remove("dropping"); });
  node.addEventListener("drop", (e) => {
    node.classList.remove("dropping");
    const files = Array.from(e.dataTransfer?.files || []);
    if (!files.length) return;
    e.preventDefault();
    app.attach(files);
  });

  function openImage(url, name) {
    lightbox.replaceChildren(el("img", { src: url, alt: name }));
    lightbox.hidden = false;
    lightbox.focus();
  }

  function closeImage() {
    lightbox.hidden = true;
    lightbox.replaceChildren();
  }

  /** The header, the banner and the title: before the log is drawn. */
  function updateHeader() {
    const inboxName = state.inbox?.name || t("panel.support");
    title.textContent = config.title || inboxName;
    node.hidden = !state.open;

    // Agents who answered in this conversation, newest first (else the inbox).
    let agents = [];
    for (const m of [...state.messages.values()].sort((a, b) => b.id - a.id)) {
      if (m.messageType === 1 && !agents.some((a) => a.name === agentName(m))) agents.push({ name: agentName(m), url: agentAvatar(m) });
    }
    // Before any agent answered: the agent who will most likely answer (issue 27), else the inbox.
    const predicted = agents.length ? null : state.inbox?.predictedAgent || null;
    predictedAgent.update(predicted);
    if (!agents.length) agents = [predicted ? { name: predicted.name, url: predicted.avatarUrl } : { name: inboxName, url: null }];
    avatars.replaceChildren(...agents.slice(0, 3).map((a) => personAvatar(a.name, a.url, config.server)));

    const offline = !state.online;
    const reconnecting = state.identity && state.conn === "reconnecting";
    banner.hidden = !(offline || reconnecting);
    banner.textContent = offline ? t("panel.offline") : t("panel.reconnecting");
    subtitle.textContent = state.typing ? t("panel.isTyping", { name: state.typing.name }) : headerLine(state.inbox, new Date());
  }

  /** The typing row, files on their way, and the message box or the end line: after the log is drawn. */
  function updateFoot() {
    const showTyping = state.typing && !state.fresh;
    typing.hidden = !showTyping;
    if (showTyping) {
      typing.firstChild.textContent = initials(state.typing.name);
      typing.lastChild.textContent = t("panel.isTypingSr", { name: state.typing.name });
    }

    drawUploads(uploads, state.uploads, state.attachError);

    const resolved = state.conversation && state.conversation.status === "resolved" && !state.fresh;
    composer.node.hidden = !!(resolved || state.fatal || formShown(state, config)); // the pre-chat form comes first
    if (composer.node.hidden) composer.emojiPopover.hidden = true;
    end.hidden = !state.fatal;
    end.textContent = state.fatal || "";
  }

  function hasFiles(e) {
    return !!e.dataTransfer && Array.from(e.dataTransfer.types || []).includes("Files");
  }

  return { node, scroller, composer, close, openImage, updateHeader, updateFoot };
}
