import assert from "node:assert/strict";
import { test } from "node:test";
import { filterCanned, fillVariables, replaceSlashWord, slashQuery } from "../src/console/canned.js";

const vars = { contact: { name: "Ann Lee", email: "ann@example.com" }, agent: { name: "Grace" }, conversation: { id: 42 } };

test("every variable is filled, with or without spaces inside the braces, as often as it appears", () => {
  assert.equal(fillVariables("Hi {{contact.name}} ({{ contact.email }}), I am {{agent.name}} on #{{conversation.id}}. Bye {{contact.name}}!", vars),
    "Hi Ann Lee (ann@example.com), I am Grace on #42. Bye Ann Lee!");
});

test("a variable without a value becomes empty; an unknown one and plain braces stay as written", () => {
  assert.equal(fillVariables("Hi {{contact.name}} <{{contact.email}}>", { contact: { name: "Ann" }, agent: {} }), "Hi Ann <>");
  assert.equal(fillVariables("{{contact.phone}} {{agent}} {not.a.var} {{ agent.name", vars), "{{contact.phone}} {{agent}} {not.a.var} {{ agent.name");
});

test("a filled value is text: braces or dollar signs in a name are not read again", () => {
  assert.equal(fillVariables("{{contact.name}} / {{agent.name}}", { contact: { name: "{{agent.name}} $&" }, agent: { name: "Grace" } }),
    "{{agent.name}} $& / Grace");
});

const list = [
  { id: 1, short_code: "thanks", content: "Thank you for waiting." },
  { id: 2, short_code: "bye", content: "Thanks, goodbye!" },
  { id: 3, short_code: "a-thank", content: "You are welcome." },
  { id: 4, short_code: "refund", content: "Refunds take a week." },
  { id: 5, short_code: "Hello", content: "Hi!" },
];

test("the filter matches short codes and content ignoring case: short codes that start with it first, then contain it, then content", () => {
  assert.deepEqual(filterCanned(list, "THANK").map((c) => c.id), [1, 3, 2]);
  assert.deepEqual(filterCanned(list, "week").map((c) => c.id), [4]);
  assert.deepEqual(filterCanned(list, "hel").map((c) => c.id), [5]);
  assert.deepEqual(filterCanned(list, "zzz"), []);
});

test("an empty query lists every canned response by short code, at most the maximum", () => {
  assert.deepEqual(filterCanned(list, "").map((c) => c.short_code), ["Hello", "a-thank", "bye", "refund", "thanks"]);
  assert.equal(filterCanned(list, "", 2).length, 2);
});

test("'/' opens the list only at the start of a word, and the word up to the caret is the query", () => {
  assert.deepEqual(slashQuery("/", 1), { start: 0, query: "" });
  assert.deepEqual(slashQuery("/ref", 4), { start: 0, query: "ref" });
  assert.deepEqual(slashQuery("Hello /tha", 10), { start: 6, query: "tha" });
  assert.deepEqual(slashQuery("line\n/by", 8), { start: 5, query: "by" });
  assert.deepEqual(slashQuery("/refund and more", 4), { start: 0, query: "ref" }); // the caret inside the word
  assert.equal(slashQuery("and/or", 6), null);
  assert.equal(slashQuery("http://x", 8), null);
  assert.equal(slashQuery("/ref done", 9), null); // a space closed the word
  assert.equal(slashQuery("", 0), null);
});

test("the chosen content replaces '/word' and the caret goes after it", () => {
  assert.deepEqual(replaceSlashWord("Hello /tha tail", 6, 10, "Thank you"), { text: "Hello Thank you tail", caret: 15 });
});
