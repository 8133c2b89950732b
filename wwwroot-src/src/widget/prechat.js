// The inbox's pre-chat form (Chatwoot's pre_chat_form_enabled / pre_chat_form_options): when it is on, the widget asks
// its enabled fields before the customer's first message (the composer waits), checks them here (required, email,
// phone, number, link, length: the server checks the same when the conversation starts, PreChatAnswers.cs), then
// creates the contact with them (or updates the contact a signed identity made): name, email and phone_number on the
// contact itself, contact_attribute fields as its custom attributes; conversation_attribute fields go with the new
// conversation. Fields the page already gave (data-name, data-email) are not asked again.

import { t } from "./i18n.js";
import { contactFields } from "./identity.js";

/** A standard field's contact property. */
const STANDARD = { emailAddress: "email", fullName: "name", phoneNumber: "phone_number" };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()\-.]{3,32}$/;
const MAX_VALUE = 1024; // PreChatAnswers.MaxValueLength
const MAX_STANDARD = { name: 255, email: 320, phone_number: 32 }; // ContactFieldsValidator's

/** The enabled fields the widget still has to ask ({name, field_type, type, label, placeholder, required, values}). */
export function formFields(inbox, config, identity) {
  if (!inbox?.preChatFormEnabled) return [];
  return (inbox.preChatFields || []).filter((f) => f.enabled && !(
    (f.name === "fullName" && f.field_type === "standard" && config.name)
    || (f.name === "emailAddress" && f.field_type === "standard" && (config.email || identity?.email))));
}

/** Whether the form stands before the first message now. */
export function formShown(state, config) {
  return !state.conversation && !state.prechatDone && !state.identity?.prechatDone && !state.fatal
    && formFields(state.inbox, config, state.identity).length > 0;
}

/** A field's label: the standard ones in the widget's language, others as the administrator wrote them. */
export function fieldLabel(f) {
  if (f.field_type === "standard" && STANDARD[f.name]) return t(`prechat.field.${f.name}`);
  return f.label || f.name;
}

/** What is wrong with each answer: {fieldName: message}; empty when the form may go. */
export function validate(fields, values) {
  const errors = {};
  for (const f of fields) {
    const raw = values[f.name];
    const label = fieldLabel(f);
    if (f.type === "checkbox") {
      if (f.required && raw !== true) errors[f.name] = t("prechat.errorRequired", { label });
      continue;
    }
    const value = String(raw ?? "").trim();
    if (!value) {
      if (f.required) errors[f.name] = t("prechat.errorRequired", { label });
      continue;
    }
    const max = f.field_type === "standard" ? MAX_STANDARD[STANDARD[f.name]] : MAX_VALUE;
    if (value.length > max) errors[f.name] = t("prechat.errorTooLong", { label });
    else if ((f.type === "email" || f.name === "emailAddress") && !EMAIL.test(value)) errors[f.name] = t("prechat.errorEmail");
    else if (f.name === "phoneNumber" && !PHONE.test(value)) errors[f.name] = t("prechat.errorPhone");
    else if (f.type === "number" && !Number.isFinite(Number(value))) errors[f.name] = t("prechat.errorNumber");
  }
  return errors;
}

/** The answers as the contact's fields and custom attributes, and the new conversation's attributes. */
export function answers(fields, values) {
  const contact = {};
  const custom = {};
  const conversation = {};
  for (const f of fields) {
    const raw = values[f.name];
    const value = f.type === "checkbox" ? raw === true : String(raw ?? "").trim();
    if (value === "" || value === false) continue;
    if (f.field_type === "standard" && STANDARD[f.name]) contact[STANDARD[f.name]] = value;
    else if (f.field_type === "conversation_attribute") conversation[f.name] = value;
    else custom[f.name] = value;
  }
  if (Object.keys(custom).length) contact.custom_attributes = custom;
  return { contact, conversation };
}

/** @param app {config, state, api, setIdentity, contactUpdated, markPrechatDone, ensureSession, render} */
export function createPrechat(app) {
  const { config, state } = app;
  // values: what is typed (field name -> text, or true/false for a checkbox); errors: field name -> message;
  // error: the server's refusal; busy while it is sent.
  state.prechatForm = { values: {}, errors: {}, error: null, busy: false, attempt: 0 };

  async function submitPrechat() {
    const form = state.prechatForm;
    const fields = formFields(state.inbox, config, state.identity);
    form.errors = validate(fields, form.values);
    form.error = null;
    form.attempt++;
    if (Object.keys(form.errors).length) {
      app.render();
      return false;
    }
    form.busy = true;
    app.render();
    const { contact, conversation } = answers(fields, form.values);
    try {
      if (!state.identity) {
        app.setIdentity(await app.api.post("/contacts", { ...contactFields(config, state.prechat), ...contact }));
      } else {
        app.contactUpdated(await app.api.patch(`/contacts/${encodeURIComponent(state.identity.sourceId)}`, contact));
      }
      state.prechatConversation = conversation;
      state.prechatDone = true;
      app.markPrechatDone();
      app.ensureSession(false).catch(() => {}); // connected before the first message
      return true;
    } catch (e) {
      form.error = t("prechat.errorServer", { detail: e.detail || e.message || "" });
      return false;
    } finally {
      form.busy = false;
      app.render();
    }
  }

  /** The server refused to start the conversation for the form: it stands again (the message waits in the outbox). */
  function askPrechatAgain() {
    state.prechatDone = false;
    if (state.identity) app.markPrechatDone(false);
    app.render();
  }

  return { submitPrechat, askPrechatAgain };
}
