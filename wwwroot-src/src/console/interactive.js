// How the console shows an interactive message (input_select, input_csat, form, input_email, cards): what was
// offered, and the customer's answer once it came ("Chose: Billing", "Rated 4/5: great").

import { ANSWERABLE, answerSummary } from "../render/answers.js";
import { el } from "../render/dom.js";

const KIND = { input_select: "Options", input_csat: "Rating request", form: "Form", input_email: "Email request", cards: "Cards" };

export function interactiveNode(m) {
  const kind = KIND[m.contentType];
  if (!kind) return null;
  const items = m.contentAttributes?.items ?? [];
  const offered = m.contentType === "input_select" ? items.map((i) => i.title).join(" · ")
    : m.contentType === "form" ? items.map((i) => i.label || i.name).join(" · ")
    : m.contentType === "cards" ? items.map((i) => i.title).join(" · ")
    : "";
  const answer = answerSummary(m);
  return el("div", { class: "interactive", "data-content-type": m.contentType }, [
    el("div", { class: "interactive-kind", text: offered ? `${kind}: ${offered}` : kind }),
    ANSWERABLE.includes(m.contentType)
      ? el("div", { class: answer ? "answer" : "answer waiting", text: answer ?? "Waiting for the customer's answer" })
      : null,
  ]);
}
