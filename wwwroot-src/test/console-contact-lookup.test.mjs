import assert from "node:assert/strict";
import { test } from "node:test";
import { createContactLookup } from "../src/console/contact-lookup.js";
import { createNames } from "../src/console/conversations.js";

/** A REST API answering GET /api/v1/accounts/1/contacts/{id} from `contacts`; `calls` lists the paths asked. */
function fakeApi(contacts, calls = []) {
  return {
    calls,
    get: async (path) => {
      calls.push(path);
      const id = Number(/contacts\/(\d+)$/.exec(path)[1]);
      if (!contacts[id]) throw Object.assign(new Error("not found"), { status: 404 });
      return { payload: contacts[id] };
    },
  };
}

test("a returning customer's email comes from the API although no push told it: the console shows it", async () => {
  const state = { contacts: new Map([[7, { name: "Cleo" }]]) }; // learnt from a message's sender: a name, no email
  const names = createNames(state);
  const c = { id: 3, contactId: 7 };
  assert.equal(names.email(c), null);
  let renders = 0;
  const api = fakeApi({ 7: { id: 7, name: "Cleo Returning", email: "cleo@example.com" } });
  const lookup = createContactLookup({ state, api, render: () => renders++ });

  await lookup(7);
  await lookup(7); // asked once per contact
  assert.equal(names.email(c), "cleo@example.com");
  assert.equal(names.contact(c), "Cleo Returning");
  assert.deepEqual(api.calls, ["/api/v1/accounts/1/contacts/7"]);
  assert.equal(renders, 1);
});

test("a push that came while asking wins over the answer; a failed lookup is asked again later", async () => {
  const state = { contacts: new Map() };
  let answer;
  const api = { get: () => new Promise((resolve) => { answer = resolve; }) };
  const lookup = createContactLookup({ state, api, render: () => {} });
  const asking = lookup(8);
  state.contacts.set(8, { name: "Dan", email: "new@example.com" }); // ContactUpdated, as main.js stores it
  answer({ payload: { id: 8, name: "Dan", email: "old@example.com" } });
  await asking;
  assert.equal(state.contacts.get(8).email, "new@example.com");

  const calls = [];
  const failing = createContactLookup({ state, api: fakeApi({}, calls), render: () => {} });
  await failing(9);
  await failing(9);
  assert.equal(calls.length, 2);
});
