// The widget's pre-chat form (src/widget/prechat.js): which of the inbox's fields it asks, how it checks the answers
// (in the widget's language), and how the answers are split between the contact and the conversation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setLocale } from "../src/widget/i18n.js";
import { answers, formFields, formShown, validate } from "../src/widget/prechat.js";

const email = { name: "emailAddress", field_type: "standard", type: "email", label: "Email Id", required: true, enabled: true };
const name = { name: "fullName", field_type: "standard", type: "text", label: "Full name", required: false, enabled: true };
const phone = { name: "phoneNumber", field_type: "standard", type: "text", required: false, enabled: false };
const plan = { name: "plan", field_type: "contact_attribute", type: "list", label: "Plan", required: true, enabled: true, values: ["free", "pro"] };
const order = { name: "order_no", field_type: "conversation_attribute", type: "number", label: "Order", required: false, enabled: true };
const terms = { name: "terms", field_type: "contact_attribute", type: "checkbox", label: "Terms", required: true, enabled: true };
const inbox = { preChatFormEnabled: true, preChatFields: [email, name, phone, plan, order, terms] };

test("the enabled fields are asked, except what the page or the contact already gave", () => {
  assert.deepEqual(formFields(inbox, {}, null).map((f) => f.name), ["emailAddress", "fullName", "plan", "order_no", "terms"]);
  assert.deepEqual(formFields(inbox, { name: "Ann", email: "a@b.co" }, null).map((f) => f.name), ["plan", "order_no", "terms"]);
  assert.deepEqual(formFields(inbox, {}, { email: "a@b.co" }).map((f) => f.name), ["fullName", "plan", "order_no", "terms"]);
  assert.deepEqual(formFields({ ...inbox, preChatFormEnabled: false }, {}, null), []);
});

test("the form stands before the first message only, until answered", () => {
  const state = { inbox, conversation: null, identity: null, prechatDone: false, fatal: null };
  assert.equal(formShown(state, {}), true);
  assert.equal(formShown({ ...state, conversation: { id: 1 } }, {}), false);
  assert.equal(formShown({ ...state, prechatDone: true }, {}), false);
  assert.equal(formShown({ ...state, identity: { prechatDone: true } }, {}), false);
});

test("required fields, email, number and length are checked, in the widget's language", () => {
  setLocale("de");
  const fields = formFields(inbox, {}, null);
  const empty = validate(fields, {});
  assert.deepEqual(Object.keys(empty).sort(), ["emailAddress", "plan", "terms"]);
  assert.equal(empty.emailAddress, "Bitte füllen Sie E-Mail-Adresse aus.");
  const wrong = validate(fields, { emailAddress: "nope", plan: "pro", terms: true, order_no: "twelve", fullName: "x".repeat(256) });
  assert.equal(wrong.emailAddress, "Bitte geben Sie eine gültige E-Mail-Adresse ein.");
  assert.equal(wrong.order_no, "Bitte geben Sie eine Zahl ein.");
  assert.match(wrong.fullName, /zu lang/);
  assert.deepEqual(validate(fields, { emailAddress: " ann@example.com ", plan: "pro", terms: true }), {});
  setLocale("en");
});

test("answers: standard fields on the contact, contact attributes as its custom attributes, conversation attributes apart", () => {
  const fields = formFields(inbox, {}, null);
  assert.deepEqual(answers(fields, { emailAddress: " ann@example.com ", fullName: "", plan: "pro", order_no: "42", terms: true }), {
    contact: { email: "ann@example.com", custom_attributes: { plan: "pro", terms: true } },
    conversation: { order_no: "42" },
  });
});
