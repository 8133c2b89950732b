// The widget's translations: `t("key")` (or `t("key", {name})`) is every string the widget shows, in the locale
// chosen once at start (data-locale on the script tag, else the page's <html lang>, else the browser's languages,
// else English). A key missing from a locale falls back to English; a key missing from English shows as itself, so
// a typo is visible, never blank. New widget strings: add the key to i18n/en.js and to every other locale file
// (test/widget-i18n.test.mjs fails otherwise), then call t("your.key"). See docs/widget.md, "Languages".

import ar from "./i18n/ar.js";
import de from "./i18n/de.js";
import en from "./i18n/en.js";
import es from "./i18n/es.js";
import fr from "./i18n/fr.js";
import pt from "./i18n/pt.js";

/** Every locale the widget has, by its language code. */
export const LOCALES = { en, de, fr, es, pt, ar };
/** Languages written right to left (the panel gets dir="rtl"). */
const RTL = new Set(["ar", "he", "fa", "ur"]);

let current = "en";

/** The first of `candidates` (BCP 47 tags such as "de-AT", "pt_BR", "fr") the widget has, by exact code or by its
 *  language; "en" when none. */
export function pickLocale(candidates) {
  for (const raw of candidates) {
    if (typeof raw !== "string" || !raw.trim()) continue;
    const tag = raw.trim().toLowerCase().replace("_", "-");
    if (LOCALES[tag]) return tag;
    const language = tag.split("-")[0];
    if (LOCALES[language]) return language;
  }
  return "en";
}

/** The widget's locale for this page: data-locale, the page's <html lang>, the browser's languages. */
export function localeFor(script, doc = document, nav = navigator) {
  return pickLocale([script?.dataset?.locale, doc.documentElement?.lang, ...(nav.languages || []), nav.language]);
}

export function setLocale(code) {
  current = LOCALES[code] ? code : "en";
}

/** The locale in use ("en", "de", ...). */
export const locale = () => current;

/** Whether the locale in use is written right to left. */
export const isRtl = () => RTL.has(current);

/** The string `key` in the current locale, with {name} placeholders filled from `vars`. */
export function t(key, vars) {
  const text = LOCALES[current][key] ?? en[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (whole, name) => (vars[name] != null ? String(vars[name]) : whole)) : text;
}
