import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { ApiError } from "../src/protocol/errors.js";
import { createApi } from "../src/protocol/http.js";

// A real HTTP server on loopback that answers as ChatHub does (JSON, problem details) and records each request.
let server;
let base;
const requests = [];

before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      const answer = ANSWERS[req.url] ?? [404, "application/problem+json", JSON.stringify({ title: "not_found", detail: "no such resource", status: 404 })];
      res.writeHead(answer[0], { "Content-Type": answer[1] });
      res.end(answer[2]);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((resolve) => server.close(resolve)));

const ANSWERS = {
  "/api/inbox": [200, "application/json", JSON.stringify({ name: "Support", online: true })],
  "/api/empty": [204, "text/plain", ""],
  "/api/refused": [422, "application/problem+json", JSON.stringify({ title: "validation", detail: "name must not be empty", status: 422 })],
  "/api/proxy": [502, "text/html", "<html>Bad Gateway</html>"],
};

const last = () => requests[requests.length - 1];

test("a call resolves to the JSON; an empty answer to null", async () => {
  const api = createApi({ base: `${base}/api` });
  assert.deepEqual(await api.get("/inbox"), { name: "Support", online: true });
  assert.equal(await api.del("/empty"), null);
  assert.equal(last().method, "DELETE");
});

test("the headers go with every call; JSON only with a body (post and patch send {} without one)", async () => {
  const api = createApi({ base: `${base}/api`, headers: { api_access_token: "secret-token" } });
  await api.get("/inbox");
  assert.equal(last().headers.api_access_token, "secret-token");
  assert.equal(last().headers["content-type"], undefined);
  assert.equal(last().body, "");

  await api.post("/inbox", { name: "Ann" });
  assert.equal(last().method, "POST");
  assert.equal(last().headers["content-type"], "application/json");
  assert.deepEqual(JSON.parse(last().body), { name: "Ann" });

  await api.patch("/inbox");
  assert.equal(last().method, "PATCH");
  assert.equal(last().body, "{}");
});

test("a refusal rejects with the problem's code, detail and status", async () => {
  const api = createApi({ base: `${base}/api` });
  const refused = await api.post("/refused", {}).then(() => null, (e) => e);
  assert.ok(refused instanceof ApiError);
  assert.equal(refused.status, 422);
  assert.equal(refused.code, "validation");
  assert.equal(refused.detail, "name must not be empty");
  assert.equal(refused.message, "validation: name must not be empty");

  const missing = await api.get("/nowhere").then(() => null, (e) => e);
  assert.equal(missing.status, 404);
  assert.equal(missing.code, "not_found");
});

test("an error page that is not a problem document still rejects with its status", async () => {
  const e = await createApi({ base: `${base}/api` }).get("/proxy").then(() => null, (err) => err);
  assert.equal(e.status, 502);
  assert.equal(e.message, "The server answered 502");
});

test("no connection rejects as fetch does: the caller decides whether to retry", async () => {
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  const e = await createApi({ base: `http://127.0.0.1:${port}` }).get("/x").then(() => null, (err) => err);
  assert.ok(e instanceof TypeError);
  assert.equal(e.status, undefined);
});
