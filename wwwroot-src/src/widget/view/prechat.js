// The pre-chat form at the start of a first conversation: name and e-mail, both optional, for the contact the first
// message creates (fields the page already gave, data-name and data-email, are not asked for).

import { el } from "../../render/dom.js";

/** The form; what is typed goes into `prechat` ({name, email}); Enter moves on to the message box (`focusComposer`). */
export function prechatForm(config, prechat, focusComposer) {
  const name = el("input", { type: "text", autocomplete: "name", placeholder: "Name", value: prechat.name, "aria-label": "Your name (optional)",
    oninput: (e) => { prechat.name = e.target.value; } });
  const email = el("input", { type: "email", autocomplete: "email", placeholder: "Email", value: prechat.email, "aria-label": "Your email (optional)",
    oninput: (e) => { prechat.email = e.target.value; } });
  return el("form", { class: "prechat", onsubmit: (e) => { e.preventDefault(); focusComposer(); } }, [
    el("p", { class: "prechat-title", text: "Introduce yourself (optional)" }),
    el("p", { class: "prechat-text", text: "So we can follow up if you leave before we answer." }),
    config.name ? null : name,
    config.email ? null : email,
  ]);
}
