// The pre-chat forms at the start of a first conversation. Without the inbox's form (../prechat.js): name and e-mail,
// both optional, for the contact the first message creates (fields the page gave, data-name and data-email, are not
// asked). With it: the inbox's fields, each labelled, required ones marked (aria-required) and checked on submit, an
// error under each field it concerns (aria-describedby, aria-invalid) with focus on the first; the composer waits.

import { el } from "../../render/dom.js";
import { fieldLabel, formFields } from "../prechat.js";
import { t } from "../i18n.js";

/** The optional form; what is typed goes into `prechat` ({name, email}); Enter moves on to the message box (`focusComposer`). */
export function prechatForm(config, prechat, focusComposer) {
  const name = el("input", { type: "text", autocomplete: "name", placeholder: t("prechat.name"), value: prechat.name, "aria-label": t("prechat.nameLabel"),
    oninput: (e) => { prechat.name = e.target.value; } });
  const email = el("input", { type: "email", autocomplete: "email", placeholder: t("prechat.email"), value: prechat.email, "aria-label": t("prechat.emailLabel"),
    oninput: (e) => { prechat.email = e.target.value; } });
  return el("form", { class: "prechat", onsubmit: (e) => { e.preventDefault(); focusComposer(); } }, [
    el("p", { class: "prechat-title", text: t("prechat.title") }),
    el("p", { class: "prechat-text", text: t("prechat.text") }),
    config.name ? null : name,
    config.email ? null : email,
  ]);
}

/** What makes the inbox's form change (the log rebuilds it then; typing does not). */
export function inboxFormSignature(app) {
  const f = app.state.prechatForm;
  return JSON.stringify([formFields(app.state.inbox, app.config, app.state.identity), app.state.inbox?.preChatMessage, f.errors, f.error, f.busy, f.attempt]);
}

const AUTOCOMPLETE = { emailAddress: "email", fullName: "name", phoneNumber: "tel" };
const INPUT_TYPE = { email: "email", number: "number", date: "date", link: "url" };

/** The inbox's form. `done()` runs once the server took the answers (the composer is next). */
export function inboxPrechatForm(app, done) {
  const { state } = app;
  const form = state.prechatForm;
  const fields = formFields(state.inbox, app.config, state.identity);
  const inputs = [];
  const rows = fields.map((f, i) => {
    const id = `chathub-prechat-${i}`;
    const error = form.errors[f.name];
    const errorId = `${id}-error`;
    const common = {
      id, name: f.name, "aria-required": f.required ? "true" : null, "aria-invalid": error ? "true" : null,
      "aria-describedby": error ? errorId : null, disabled: form.busy,
    };
    let input;
    if (f.type === "checkbox") {
      input = el("input", { ...common, type: "checkbox", checked: form.values[f.name] === true,
        onchange: (e) => { form.values[f.name] = e.target.checked; } });
    } else if (f.type === "list") {
      input = el("select", { ...common, class: "field", onchange: (e) => { form.values[f.name] = e.target.value; } },
        [el("option", { value: "", text: "" }), ...(f.values || []).map((v) => el("option", { value: v, text: v, selected: form.values[f.name] === v }))]);
    } else {
      const type = f.name === "phoneNumber" ? "tel" : f.name === "emailAddress" ? "email" : INPUT_TYPE[f.type] || "text";
      input = el("input", { ...common, type, class: "field", autocomplete: AUTOCOMPLETE[f.name] || null,
        placeholder: f.field_type === "standard" ? null : f.placeholder || null, value: form.values[f.name] ?? "",
        oninput: (e) => { form.values[f.name] = e.target.value; } });
    }
    inputs.push({ input, error });
    const mark = f.required
      ? el("span", { class: "prechat-required", "aria-hidden": "true", text: " *" })
      : el("span", { class: "prechat-optional", text: ` (${t("prechat.optional")})` });
    const label = f.type === "checkbox"
      ? el("label", { class: "prechat-check", for: id }, [input, el("span", { text: fieldLabel(f) }), mark])
      : el("label", { class: "prechat-label", for: id }, [fieldLabel(f), mark]);
    return el("div", { class: "prechat-field" }, [
      label,
      f.type === "checkbox" ? null : input,
      error ? el("p", { class: "prechat-error", id: errorId, text: error }) : null,
    ]);
  });

  const hasErrors = Object.keys(form.errors).length > 0;
  const node = el("form", { class: "prechat inbox-prechat", novalidate: true, "aria-labelledby": "chathub-prechat-title",
    onsubmit: async (e) => {
      e.preventDefault();
      if (await app.submitPrechat()) done();
    } }, [
    el("p", { class: "prechat-title", id: "chathub-prechat-title", text: state.inbox?.preChatMessage || t("prechat.formTitle") }),
    ...rows,
    hasErrors ? el("p", { class: "prechat-error", role: "alert", text: t("prechat.errorSummary") }) : null,
    form.error ? el("p", { class: "prechat-error", role: "alert", text: form.error }) : null,
    el("button", { type: "submit", class: "primary", disabled: form.busy, text: form.busy ? t("prechat.starting") : t("prechat.start") }),
  ]);
  // After a refused submit, the first field to fix has the focus (once the rebuilt form is in the page).
  const first = inputs.find((x) => x.error);
  if (first && form.focusedAttempt !== form.attempt) {
    form.focusedAttempt = form.attempt;
    setTimeout(() => first.input.focus(), 0);
  }
  return node;
}

export const PRECHAT_CSS = [
  ".prechat-field{display:flex;flex-direction:column;gap:4px}",
  ".prechat-label{font-size:13px;font-weight:600}",
  ".prechat-check{display:flex;gap:8px;align-items:center;font-size:13px}",
  ".prechat-required{color:#b91c1c}.prechat-optional{color:var(--muted);font-weight:400}",
  ".prechat .field[aria-invalid=true],.prechat input[aria-invalid=true]{border-color:#dc2626}",
  ".prechat-error{margin:0;color:#b91c1c;font-size:12.5px}",
].join("\n");
