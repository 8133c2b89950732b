// The pre-chat form in an inbox's settings (src/console/admin/prechat-fields.js): what the form sends.
import assert from "node:assert/strict";
import { test } from "node:test";
import { preChatPayload } from "../src/console/admin/prechat-fields.js";

test("the form's rows become Chatwoot's pre_chat_form_options", () => {
  const rows = [
    { name: "emailAddress", field_type: "standard", type: "email", label: " Email ", required: true, enabled: true, values: "" },
    { name: " plan ", field_type: "contact_attribute", type: "list", label: "", required: false, enabled: true, values: "free, pro ,, team" },
  ];
  assert.deepEqual(preChatPayload("  ", rows), {
    pre_chat_message: null,
    pre_chat_fields: [
      { name: "emailAddress", field_type: "standard", type: "email", label: "Email", required: true, enabled: true },
      { name: "plan", field_type: "contact_attribute", type: "list", label: "plan", required: false, enabled: true, values: ["free", "pro", "team"] },
    ],
  });
  assert.equal(preChatPayload(" Hello ", []).pre_chat_message, "Hello");
});
