import assert from "node:assert/strict";
import { test } from "node:test";
import { attributeRows, contactChanges, sortNotes } from "../src/console/contact-profile.js";
import { contactsPath } from "../src/console/contacts-view.js";

test("an edit sends only the fields changed, trimmed; an emptied field is left out", () => {
  const contact = { name: "Ann", email: "ann@example.com", phone_number: null };
  assert.deepEqual(contactChanges(contact, { name: " Ann ", email: "ann@new.example ", phone_number: "+1 555" }),
    { email: "ann@new.example", phone_number: "+1 555" });
  assert.deepEqual(contactChanges(contact, { name: "", email: "ann@example.com", phone_number: "  " }), {});
});

test("notes are newest first, by creation time then id", () => {
  const notes = [{ id: 1, created_at: 10 }, { id: 3, created_at: 20 }, { id: 2, created_at: 10 }];
  assert.deepEqual(sortNotes(notes).map((n) => n.id), [3, 2, 1]);
});

test("custom attributes are labelled from their keys; values that are not text are JSON", () => {
  assert.deepEqual(attributeRows({ plan_name: "pro", seats: 3, tags: ["a"] }), [["Plan name", "pro"], ["Seats", "3"], ["Tags", "[\"a\"]"]]);
  assert.deepEqual(attributeRows(null), []);
});

test("the list is every contact without a search, the search endpoint with one (encoded)", () => {
  assert.equal(contactsPath("", 2), "/api/v1/accounts/1/contacts?page=2");
  assert.equal(contactsPath("  ann & bob ", 1), "/api/v1/accounts/1/contacts/search?q=ann%20%26%20bob&page=1");
});
