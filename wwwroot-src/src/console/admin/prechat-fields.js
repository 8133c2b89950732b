// An inbox's pre-chat form in its settings (issue 25): on or off, the message above it, and its fields (Chatwoot's
// pre_chat_form_enabled and pre_chat_form_options). The three standard fields (email, full name, phone) are always
// listed, each enabled or not and required or not; custom fields (a contact or conversation attribute, with a key,
// a label and a type) are added and removed. The widget asks the enabled ones before the first message.

import { el } from "../../render/dom.js";
import { field } from "./controls.js";

const STANDARD_LABELS = { emailAddress: "Email", fullName: "Full name", phoneNumber: "Phone number" };
const TYPES = ["text", "email", "number", "date", "link", "checkbox", "list"];

/** The pre_chat_form_options the form sends, from its rows ({name, field_type, type, label, required, enabled,
 *  values (list: comma-separated text)}) and message. */
export function preChatPayload(message, rows) {
  return {
    pre_chat_message: message.trim() || null,
    pre_chat_fields: rows.map((r) => {
      const f = { name: r.name.trim(), field_type: r.field_type, type: r.type, label: r.label.trim() || r.name.trim(), required: !!r.required,
        enabled: !!r.enabled };
      if (r.type === "list") f.values = String(r.values || "").split(",").map((v) => v.trim()).filter(Boolean);
      return f;
    }),
  };
}

/** The fieldset; `enabled()` and `options()` are what the settings form sends. */
export function preChatFields(inbox) {
  const options = inbox.pre_chat_form_options || { pre_chat_fields: [] };
  const on = el("input", { type: "checkbox", name: "pre_chat_form_enabled" });
  on.checked = !!inbox.pre_chat_form_enabled;
  const message = el("textarea", { name: "pre_chat_message", maxlength: 1024, rows: 2 });
  message.value = options.pre_chat_message ?? "";
  const list = el("div", { class: "admin-prechat-fields" });
  const rows = [];

  function addRow(f, standard) {
    const enabled = el("input", { type: "checkbox", "aria-label": `Ask ${f.label || f.name}` });
    enabled.checked = !!f.enabled;
    const required = el("input", { type: "checkbox", "aria-label": `${f.label || f.name} is required` });
    required.checked = !!f.required;
    const key = el("input", { value: f.name, maxlength: 64, pattern: "[A-Za-z0-9_]+", "aria-label": "Attribute key", readonly: standard });
    const label = el("input", { value: f.label || STANDARD_LABELS[f.name] || "", maxlength: 255, "aria-label": "Label" });
    const type = el("select", { "aria-label": "Type", disabled: standard }, TYPES.map((t) => el("option", { value: t, selected: f.type === t }, t)));
    const kind = el("select", { "aria-label": "Stored on", disabled: standard },
      standard ? [el("option", { value: "standard" }, "contact")]
        : [["contact_attribute", "contact attribute"], ["conversation_attribute", "conversation attribute"]]
          .map(([v, text]) => el("option", { value: v, selected: f.field_type === v }, text)));
    const values = el("input", { value: (f.values || []).join(", "), "aria-label": "List values (comma-separated)", placeholder: "values, comma-separated" });
    const row = { standard, node: null, read: () => ({ name: key.value, field_type: standard ? "standard" : kind.value, type: type.value,
      label: label.value, required: required.checked, enabled: enabled.checked, values: values.value }) };
    const remove = standard ? null : el("button", { class: "btn danger", type: "button", "aria-label": `Remove the field ${f.name}`,
      onclick: () => { rows.splice(rows.indexOf(row), 1); row.node.remove(); } }, "Remove");
    row.node = el("div", { class: "admin-prechat-field", "data-field": f.name },
      el("label", { class: "admin-check" }, enabled, "ask"), key, label, type, kind,
      el("label", { class: "admin-check" }, required, "required"), standard ? null : values, remove);
    rows.push(row);
    list.append(row.node);
  }

  const byName = new Map((options.pre_chat_fields || []).map((f) => [f.name, f]));
  for (const name of Object.keys(STANDARD_LABELS)) {
    addRow(byName.get(name) || { name, field_type: "standard", type: name === "emailAddress" ? "email" : "text", required: name === "emailAddress" }, true);
  }
  for (const f of options.pre_chat_fields || []) if (f.field_type !== "standard") addRow(f, false);

  const add = el("button", { class: "btn", type: "button",
    onclick: () => addRow({ name: `field_${rows.length + 1}`, field_type: "contact_attribute", type: "text", enabled: true }, false) }, "Add a field");
  const node = el("fieldset", { class: "admin-hours admin-prechat" },
    el("legend", {}, "Pre-chat form"),
    el("label", { class: "admin-check" }, on, "Ask these fields before the customer's first message"),
    field("Message above the form", message),
    list,
    add);
  return { node, enabled: () => on.checked, options: () => preChatPayload(message.value, rows.map((r) => r.read())) };
}
