import assert from "node:assert/strict";
import { test } from "node:test";
import { campaignFor, urlMatches } from "../src/widget/campaigns.js";

test("a URL pattern matches the whole page URL, ignoring case, a trailing slash and the fragment; * matches any run", () => {
  assert.equal(urlMatches("https://shop.example/pricing", "https://shop.example/pricing"), true);
  assert.equal(urlMatches("https://shop.example/pricing/", "https://SHOP.example/pricing#plans"), true);
  assert.equal(urlMatches("https://shop.example/pricing", "https://shop.example/pricing/team"), false);
  assert.equal(urlMatches("https://shop.example/pricing", "https://shop.example/pricing?x=1"), false);
  assert.equal(urlMatches("https://shop.example/*", "https://shop.example/a/b?c=d"), true);
  assert.equal(urlMatches("https://shop.example/*/checkout", "https://shop.example/eu/checkout"), true);
  assert.equal(urlMatches("https://shop.example/*", "https://evil.example/?https://shop.example/"), false);
  assert.equal(urlMatches("https://shop.example/a.b", "https://shop.example/aXb"), false); // no regex from the pattern
  assert.equal(urlMatches("", "https://shop.example/"), false);
});

test("the campaign shown is the first that matches, not seen yet, and open when it runs in business hours only", () => {
  const campaigns = [
    { id: 3, trigger_rules: { url: "https://shop.example/*" }, trigger_only_during_business_hours: true },
    { id: 2, trigger_rules: { url: "https://shop.example/pricing" } },
    { id: 1, trigger_rules: { url: "https://shop.example/*" } },
  ];
  assert.equal(campaignFor(campaigns, "https://shop.example/pricing", []).id, 3);
  assert.equal(campaignFor(campaigns, "https://shop.example/pricing", [], false).id, 2);
  assert.equal(campaignFor(campaigns, "https://shop.example/pricing", [3, 2]).id, 1);
  assert.equal(campaignFor(campaigns, "https://shop.example/pricing", [3, 2, 1]), null);
  assert.equal(campaignFor(campaigns, "https://other.example/", []), null);
});
