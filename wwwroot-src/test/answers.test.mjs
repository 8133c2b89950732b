import assert from "node:assert/strict";
import { test } from "node:test";
import { answerSummary, isAnswered } from "../src/render/answers.js";
import { markdownHtml } from "../src/render/markdown.js";

test("answers read as one line", () => {
  const select = { contentType: "input_select", contentAttributes: { items: [], submitted_values: [{ title: "Billing", value: "billing" }] } };
  assert.equal(answerSummary(select), "Chose: Billing");
  const csat = { contentType: "input_csat", contentAttributes: { submitted_values: { csat_survey_response: { rating: 4, feedback_message: "great" } } } };
  assert.equal(answerSummary(csat), "Rated 4/5: great");
  const form = { contentType: "form", contentAttributes: { items: [{ name: "plan", label: "Plan" }], submitted_values: [{ name: "plan", value: "pro" }] } };
  assert.equal(answerSummary(form), "Answered: Plan: pro");
  const email = { contentType: "input_email", contentAttributes: { submitted_values: { email: "a@example.com" } } };
  assert.equal(answerSummary(email), "Email: a@example.com");
  assert.equal(isAnswered({ contentType: "input_select", contentAttributes: { items: [] } }), false);
  assert.equal(answerSummary({ contentType: "text", contentAttributes: null }), null);
});

test("markdown renders formatting and never raw HTML", () => {
  const html = markdownHtml("**bold** `code` [site](https://example.com)\n\n- one\n- two\n\n<img src=x onerror=alert(1)>");
  assert.match(html, /<strong>bold<\/strong>/);
  assert.match(html, /<code>code<\/code>/);
  assert.match(html, /<a href="https:\/\/example.com" target="_blank" rel="noopener noreferrer nofollow">site<\/a>/);
  assert.match(html, /<ul>\s*<li>one<\/li>/);
  assert.doesNotMatch(html, /<img/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.doesNotMatch(markdownHtml("[x](javascript:alert(1))"), /href=/);
});
