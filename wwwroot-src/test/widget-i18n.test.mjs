// The widget's translations (src/widget/i18n.js): every locale has every English key and no other, with the same
// {placeholders}; the locale is chosen from data-locale, the page's <html lang>, the browser, else English.
import assert from "node:assert/strict";
import { test } from "node:test";
import { isRtl, LOCALES, localeFor, pickLocale, setLocale, t } from "../src/widget/i18n.js";

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("every locale has every key of English, no other, each translated with the same placeholders", () => {
  const english = LOCALES.en;
  assert.ok(Object.keys(english).length > 50);
  for (const [code, strings] of Object.entries(LOCALES)) {
    assert.deepEqual(Object.keys(strings).filter((k) => !(k in english)), [], `${code}: keys English does not have`);
    for (const key of Object.keys(english)) {
      assert.equal(typeof strings[key], "string", `${code} lacks ${key}`);
      assert.ok(strings[key].trim().length > 0, `${code}: ${key} is empty`);
      assert.deepEqual(placeholders(strings[key]), placeholders(english[key]), `${code}: ${key}'s placeholders`);
    }
  }
  assert.deepEqual(Object.keys(LOCALES).sort(), ["ar", "de", "en", "es", "fr", "pt"]);
});

test("the widget's source uses only keys English has", async () => {
  const { readdir, readFile } = await import("node:fs/promises");
  const dir = new URL("../src/widget/", import.meta.url);
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".js") && !f.startsWith("i18n"));
  const used = new Set();
  for (const f of files) {
    const text = await readFile(new URL(f, dir), "utf8");
    for (const m of text.matchAll(/\bt\("([\w.]+)"/g)) used.add(m[1]);
  }
  assert.ok(used.size > 40);
  for (const key of used) assert.ok(key in LOCALES.en, `t("${key}") has no English string`);
});

test("a locale is picked from data-locale, then <html lang>, then the browser, else English", () => {
  const script = (locale) => ({ dataset: locale ? { locale } : {} });
  const doc = (lang) => ({ documentElement: { lang } });
  const nav = (...languages) => ({ languages, language: languages[0] });
  assert.equal(localeFor(script("de"), doc("fr"), nav("es")), "de");
  assert.equal(localeFor(script(), doc("fr-CA"), nav("es")), "fr");
  assert.equal(localeFor(script(), doc(""), nav("pt-BR", "en")), "pt");
  assert.equal(localeFor(script("xx"), doc("zz"), nav("ja")), "en");
  assert.equal(pickLocale(["pt_PT"]), "pt");
  assert.equal(pickLocale([undefined, "", "AR"]), "ar");
});

test("t fills placeholders, falls back to English, and shows an unknown key as itself", () => {
  setLocale("de");
  assert.equal(t("panel.isTyping", { name: "Ann" }), "Ann schreibt…");
  assert.equal(t("prechat.errorRequired", { label: "E-Mail-Adresse" }), "Bitte füllen Sie E-Mail-Adresse aus.");
  assert.equal(t("no.such.key"), "no.such.key");
  assert.equal(isRtl(), false);
  setLocale("ar");
  assert.equal(isRtl(), true);
  setLocale("klingon");
  assert.equal(t("launcher.open"), "Open chat");
});
