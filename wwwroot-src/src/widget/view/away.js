// The "nobody there" card at the end of the thread (../away.js decides when): the out-of-office notice, the email
// field (after the customer's first message, while the contact has no email), and the confirmation.

import { el } from "../../render/dom.js";
import { nobodyThere } from "../away.js";
import { t } from "../i18n.js";

/** Adds the card's log entry when nobody is there (`entry(key, signature, build)`, as log.js's). */
export function awayEntries(app, entry) {
  const { state } = app;
  if (!nobodyThere(state.inbox) || state.fatal) return;
  const a = state.away;
  const email = a.saved || state.identity?.email || null;
  const hasWritten = !!state.conversation && [...state.messages.values()].some((m) => m.messageType === 0);
  const asking = hasWritten && !email;
  const notice = state.inbox.outOfOfficeMessage || t("away.default");
  const sig = [notice, asking, email, a.busy, a.error, a.transcript, !!state.conversation].join("\u0001");
  entry("away", sig, () => card(app, { notice, asking, email }));
}

function card(app, { notice, asking, email }) {
  const a = app.state.away;
  const parts = [el("p", { class: "away-title", text: notice })];
  if (asking) {
    const input = el("input", { type: "email", autocomplete: "email", placeholder: "you@example.com", value: a.value,
      "aria-label": t("away.yourEmail"), disabled: a.busy, oninput: (e) => { a.value = e.target.value; } });
    parts.push(
      el("p", { class: "away-text", text: t("away.leaveEmail") }),
      el("form", { class: "away-form", novalidate: true, onsubmit: (e) => { e.preventDefault(); app.saveEmail(); } }, [
        input,
        el("button", { type: "submit", class: "primary", disabled: a.busy, text: a.busy ? t("away.saving") : t("away.notify") }),
      ]),
      a.error ? el("p", { class: "away-error", role: "alert", text: a.error }) : null,
    );
  } else if (email) {
    parts.push(el("p", { class: "away-text away-confirmed", role: "status", text: t("away.confirmed", { email }) }));
    if (app.state.conversation) {
      parts.push(a.transcript === "sent"
        ? el("p", { class: "away-text", role: "status", text: t("away.transcriptSent") })
        : el("button", { type: "button", class: "link away-transcript", disabled: a.transcript === "busy",
          text: t("away.transcript"), onclick: app.emailTranscript }));
      if (a.transcript && a.transcript !== "sent" && a.transcript !== "busy") parts.push(el("p", { class: "away-error", role: "alert", text: a.transcript }));
    }
  } else {
    parts.push(el("p", { class: "away-text", text: t("away.leaveMessage") }));
  }
  return el("div", { class: "away" }, parts);
}

export const AWAY_CSS = [
  ".away{margin:12px 2px 4px;padding:12px 14px;background:#fff;border:1px solid var(--line);border-radius:14px;display:flex;flex-direction:column;gap:8px}",
  ".away-title{margin:0;font-weight:650;white-space:pre-wrap}",
  ".away-text{margin:0;color:var(--muted);font-size:13px;overflow-wrap:anywhere}",
  ".away-form{display:flex;gap:8px;flex-wrap:wrap}",
  ".away-form input{flex:1 1 160px;min-width:0;font:inherit;color:inherit;border:1px solid var(--line);border-radius:10px;padding:9px 12px;background:#fbfbfc}",
  ".away-form input:focus{border-color:var(--accent);background:#fff;outline:none}",
  ".away-form .primary{margin-top:0}",
  ".away-error{margin:0;color:#b91c1c;font-size:13px}",
  ".away-transcript{align-self:flex-start}",
].join("\n");
