import assert from "node:assert/strict";
import { test } from "node:test";
import { readConfig } from "../src/widget/config.js";
import { contactFields, identityKey, identityOf, openKey, startAttributes } from "../src/widget/identity.js";
import { inboxView } from "../src/widget/inbox.js";

const script = (dataset) => ({ dataset, src: "https://chat.example.com/widget.js?v=2" });

test("the script tag's settings, with defaults: the server is where the script came from", () => {
  const config = readConfig(script({ inbox: " abc ", color: "javascript:alert(1)", prechat: "off", position: "left", open: "true" }), "https://shop.example/");
  assert.equal(config.inbox, "abc");
  assert.equal(config.server, "https://chat.example.com");
  assert.equal(config.color, "#2563eb", "only a hex colour is taken");
  assert.equal(config.prechat, false);
  assert.equal(config.left, true);
  assert.equal(config.openAtStart, true);
  assert.equal(readConfig(script({ server: "https://other.example//", color: "#abc" }), "https://shop.example/").server, "https://other.example");
  assert.equal(readConfig(script({ color: "#abc" }), "https://shop.example/").color, "#abc");
});

test("the identity is kept per inbox and per signed identifier", () => {
  assert.equal(identityKey({ inbox: "abc", identifier: null }), "chathub:abc:guest");
  assert.equal(identityKey({ inbox: "abc", identifier: "u-1" }), "chathub:abc:id:u-1");
  assert.equal(openKey({ inbox: "abc" }), "chathub:abc:open");
});

test("the identity from a contact, in either spelling", () => {
  const expected = { sourceId: "s", pubsubToken: "p", contactId: 3, name: "Ann", email: null };
  assert.deepEqual(identityOf({ id: 3, source_id: "s", pubsub_token: "p", name: "Ann" }), expected);
  assert.deepEqual(identityOf({ id: 3, sourceId: "s", pubsubToken: "p", name: "Ann", email: "" }), expected);
});

test("a new contact: the signed identity, the page's name and e-mail before the pre-chat form's", () => {
  const prechat = { name: " Ann ", email: "ann@example.com " };
  assert.deepEqual(contactFields({}, prechat), { name: "Ann", email: "ann@example.com" });
  assert.deepEqual(contactFields({ identifier: "u-1", identifierHash: "h", name: "Page Name" }, prechat),
    { identifier: "u-1", identifier_hash: "h", name: "Page Name", email: "ann@example.com" });
  assert.deepEqual(contactFields({}, { name: " ", email: "" }), {});
});

test("a new conversation's attributes: the page (cut to size) and the pre-chat e-mail unless the page gave one", () => {
  const page = { url: `https://shop.example/${"x".repeat(600)}`, title: "Shop" };
  const a = startAttributes({}, { name: "", email: " ann@example.com" }, page);
  assert.equal(a.page_url.length, 500);
  assert.equal(a.page_title, "Shop");
  assert.equal(a.email, "ann@example.com");
  assert.equal(startAttributes({ email: "page@example.com" }, { name: "", email: "ann@example.com" }, { url: "u", title: "" }).email, undefined);
  assert.equal("page_title" in startAttributes({}, { name: "", email: "" }, { url: "u", title: "" }), false);
});

test("the public inbox as the widget shows it", () => {
  const view = inboxView({ name: "Support", greeting_enabled: true, greeting_message: "Hi", reply_time: "in_a_day", online: 1, working_hours_enabled: false, timezone: "UTC" });
  assert.equal(view.name, "Support");
  assert.equal(view.greetingMessage, "Hi");
  assert.equal(view.online, true);
  assert.deepEqual(view.workingHours, []);
});
