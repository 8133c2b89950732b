import assert from "node:assert/strict";
import { test } from "node:test";
import { credentialHeaders, hasSessionCookie, linkInHash, readCookie } from "../src/console/session.js";

test("an invitation or reset link is read from the address's fragment, nothing else is", () => {
  globalThis.location = { hash: "#invite=Ab_c-12" };
  assert.deepEqual(linkInHash(), { kind: "invite", token: "Ab_c-12" });
  globalThis.location = { hash: "#reset=xyz" };
  assert.deepEqual(linkInHash(), { kind: "reset", token: "xyz" });
  for (const hash of ["", "#/conversations/4", "#invite=", "#invite=a b", "#invite=a&x=1"]) {
    globalThis.location = { hash };
    assert.equal(linkInHash(), null, hash);
  }
});

test("a cookie session's calls carry the CSRF cookie's value; a token's carry the token", () => {
  globalThis.document = { cookie: "other=1; chathub_csrf=abc%20def; x=y" };
  assert.equal(readCookie("chathub_csrf"), "abc def");
  assert.equal(hasSessionCookie(), true);
  assert.deepEqual(credentialHeaders({ cookie: true }), { "X-CSRF-Token": "abc def" });
  assert.deepEqual(credentialHeaders({ token: "t0k" }), { api_access_token: "t0k" });
  globalThis.document = { cookie: "" };
  assert.equal(hasSessionCookie(), false);
  assert.deepEqual(credentialHeaders({ cookie: true }), { "X-CSRF-Token": "" });
});
