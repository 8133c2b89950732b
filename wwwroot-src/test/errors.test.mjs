import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiError, ERROR_CODES, hubError, isUnauthorized, problemError, sendFailureText } from "../src/protocol/errors.js";

test("every documented code is mapped, with the server's text", () => {
  for (const code of ERROR_CODES) {
    const e = hubError(new Error(`${code}: something went wrong`));
    assert.equal(e.code, code);
    assert.equal(e.message, "something went wrong");
    assert.equal(e.retry, undefined);
  }
});

test("the SignalR client's prefix does not hide the code", () => {
  // The browser client reports "An unexpected error occurred invoking..." only for non-HubException errors;
  // a HubException's message is passed through as is.
  const e = hubError({ message: "validation: content must not be empty\nsecond line" });
  assert.equal(e.code, "validation");
  assert.equal(e.message, "content must not be empty\nsecond line");
});

test("anything else is a connection problem worth retrying", () => {
  for (const text of ["Invocation canceled due to the underlying connection being closed.", "not connected", "timeout: x"]) {
    const e = hubError(new Error(text));
    assert.equal(e.code, undefined);
    assert.equal(e.retry, true);
  }
  assert.equal(hubError("plain string").retry, true);
});

test("a refused token is recognised at negotiate", () => {
  assert.equal(isUnauthorized(new Error("Failed to complete negotiation with the server: Error: : Status code '401'")), true);
  assert.equal(isUnauthorized(new Error("Unauthorized")), true);
  assert.equal(isUnauthorized(new Error("Status code '500'")), false);
});

test("a failed send says why", () => {
  assert.equal(sendFailureText("too_large"), "Too long to send");
  assert.equal(sendFailureText("validation"), "Too long to send");
  assert.equal(sendFailureText("forbidden"), "Not sent");
});

test("a REST problem keeps ChatHub's code (its title), the detail a person reads, and one line for forms", () => {
  const e = problemError(409, { title: "conflict", detail: "an agent with this e-mail exists", status: 409 });
  assert.ok(e instanceof ApiError && e instanceof Error);
  assert.equal(e.status, 409);
  assert.equal(e.code, "conflict");
  assert.equal(e.detail, "an agent with this e-mail exists");
  assert.equal(e.message, "conflict: an agent with this e-mail exists");
  assert.equal(e.retry, undefined);
});

test("an answer that is no problem document (a proxy's error page) says the status", () => {
  const e = problemError(502, null);
  assert.equal(e.code, "error");
  assert.equal(e.detail, null);
  assert.equal(e.message, "The server answered 502");
  assert.equal(problemError(404, { title: "not_found" }).message, "not_found");
});

test("a fallback detail stands in for a problem without one, and never for the server's own", () => {
  assert.equal(problemError(413, null, "The file is too large.").detail, "The file is too large.");
  assert.equal(problemError(413, { title: "too_large", detail: "files may be at most 10 MB" }, "The file is too large.").detail, "files may be at most 10 MB");
});
