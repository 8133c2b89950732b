// People as round initials: the widget's agent avatars and the console's, which also get a stable colour each.

import { el } from "./dom.js";

/** "Ann Lee" -> "AL", "ann" -> "A"; words that start with neither a letter nor a digit are skipped ("?" if none). */
export function initials(name) {
  const parts = String(name || "?").trim().split(/\s+/).filter((w) => /^[\p{L}\p{N}]/u.test(w));
  return ((parts[0] || "?")[0] + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

const PALETTE = ["#2563eb", "#7c3aed", "#db2777", "#ea580c", "#0d9488", "#16a34a", "#0891b2", "#9333ea"];

/** A stable colour per person (the same key, the same colour, on every page load). */
export function colorFor(key) {
  let h = 0;
  for (const ch of String(key)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

/** The console's avatar: initials on the person's colour (`key` tells people of the same name apart). */
export function avatar(name, key, extraClass = "") {
  return el("span", { class: `avatar ${extraClass}`.trim(), style: `--c:${colorFor(key ?? name)}`, "aria-hidden": "true", text: initials(name) });
}

/** A person the widget shows (an agent): their image when they chose one (`url`, a path on the server `base`), else
 *  their initials. */
export function personAvatar(name, url, base = "", extraClass = "") {
  return el("span", { class: `avatar ${extraClass}`.trim(), "aria-hidden": "true" },
    url ? el("img", { src: base + url, alt: "", loading: "lazy" }) : initials(name));
}
