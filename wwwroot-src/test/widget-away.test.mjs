import assert from "node:assert/strict";
import { test } from "node:test";
import { nobodyThere } from "../src/widget/away.js";
import { inboxView } from "../src/widget/inbox.js";

test("nobody is there when no agent is online or the inbox is closed, as the public inbox says", () => {
  assert.equal(nobodyThere(null), false); // not loaded yet: say nothing
  assert.equal(nobodyThere(inboxView({ online: true, is_open: true })), false);
  assert.equal(nobodyThere(inboxView({ online: false, is_open: true })), true);
  assert.equal(nobodyThere(inboxView({ online: true, is_open: false })), true);
  assert.equal(nobodyThere(inboxView({ online: true })), false); // a server without is_open: open
});

test("the inbox view carries the out-of-office message", () => {
  assert.equal(inboxView({ out_of_office_message: "Back Monday." }).outOfOfficeMessage, "Back Monday.");
  assert.equal(inboxView({}).outOfOfficeMessage, null);
});
