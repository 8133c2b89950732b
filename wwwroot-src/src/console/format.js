// Small DOM and formatting helpers of the agent console.

/** Creates an element: attrs may hold class, text, on* listeners, and plain attributes (null/false skipped). */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "html") node.innerHTML = value; // only our own constant SVG icons
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

export function initials(name) {
  const parts = String(name || "?").trim().split(/\s+/).filter((w) => /^[\p{L}\p{N}]/u.test(w));
  return ((parts[0] || "?")[0] + (parts.length > 1 ? parts.at(-1)[0] : "")).toUpperCase();
}

const PALETTE = ["#2563eb", "#7c3aed", "#db2777", "#ea580c", "#0d9488", "#16a34a", "#0891b2", "#9333ea"];
/** A stable colour per person, for avatars. */
export function colorFor(key) {
  let h = 0;
  for (const ch of String(key)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

export function avatar(name, key, extraClass = "") {
  return el("span", { class: `avatar ${extraClass}`.trim(), style: `--c:${colorFor(key ?? name)}`, "aria-hidden": "true", text: initials(name) });
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: "short" });
const dateFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const time = (s) => timeFormat.format(new Date(s * 1000));
export const fullTime = (s) => fullFormat.format(new Date(s * 1000));

/** "now", "5m", "3h", a weekday within a week, else a date: as conversation lists show it. */
export function ago(s) {
  const d = nowSeconds() - s;
  if (d < 60) return "now";
  if (d < 3600) return `${Math.floor(d / 60)}m`;
  if (d < 86400) return `${Math.floor(d / 3600)}h`;
  if (d < 6 * 86400) return weekdayFormat.format(new Date(s * 1000));
  return dateFormat.format(new Date(s * 1000));
}

export function dayKey(s) {
  const d = new Date(s * 1000);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function dayLabel(s) {
  const now = new Date();
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime() / 1000;
  if (s >= start) return "Today";
  if (s >= start - 86400) return "Yesterday";
  return dayFormat.format(new Date(s * 1000));
}

/** Brings a container's children in line with entries [{key, sig, build}]: a node is rebuilt only when its
 *  signature changes and moved only when out of place, so focus, selection and screen readers are left alone. */
export function reconcile(container, entries, cache) {
  const keys = new Set();
  const wanted = entries.map((e) => {
    keys.add(e.key);
    let hit = cache.get(e.key);
    if (!hit || hit.sig !== e.sig) {
      hit = { sig: e.sig, node: e.build() };
      cache.set(e.key, hit);
    }
    return hit.node;
  });
  for (const key of [...cache.keys()]) if (!keys.has(key)) cache.delete(key);
  let current = container.firstChild;
  for (const node of wanted) {
    if (node === current) current = current.nextSibling;
    else container.insertBefore(node, current);
  }
  while (current) {
    const next = current.nextSibling;
    current.remove();
    current = next;
  }
}

export const ICONS = {
  lock: '<svg viewBox="0 0 16 16" aria-hidden="true"><rect x="3" y="7" width="10" height="7" rx="1.5" fill="currentColor"/><path d="M5.2 7V5.2a2.8 2.8 0 015.6 0V7" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>',
  check: '<svg viewBox="0 0 16 16" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" d="M3 8.5l3 3 7-7"/></svg>',
  checks: '<svg viewBox="0 0 20 16" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" d="M1.5 8.5l3 3 7-7M8.5 11.5l7-7"/></svg>',
  clock: '<svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.5"/><path fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" d="M8 5v3.2l2 1.3"/></svg>',
  clip: '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M21 11.5l-8.6 8.6a5.5 5.5 0 01-7.8-7.8l8.6-8.6a3.7 3.7 0 015.2 5.2l-8.6 8.6a1.8 1.8 0 01-2.6-2.6l7.9-7.9"/></svg>',
  send: '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M3.4 20.4l17.5-7.5c.8-.4.8-1.5 0-1.8L3.4 3.6c-.7-.3-1.4.3-1.3 1l.9 5.6c.1.5.5.8 1 .9L13 12l-9 .9c-.5.1-.9.4-1 .9l-.9 5.6c-.1.7.6 1.3 1.3 1z"/></svg>',
  inbox: '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" d="M3 13l2.5-7.5A2 2 0 017.4 4h9.2a2 2 0 011.9 1.5L21 13v5a2 2 0 01-2 2H5a2 2 0 01-2-2v-5z"/><path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" d="M3 13h5l1.5 2.5h5L16 13h5"/></svg>',
  chat: '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M12 3C6.5 3 2 6.9 2 11.7c0 2.5 1.2 4.8 3.2 6.4-.2 1.3-.8 2.6-1.9 3.6-.2.2-.1.6.2.6 2.2.1 4.1-.7 5.4-1.7 1 .3 2 .4 3.1.4 5.5 0 10-3.9 10-8.7S17.5 3 12 3z"/></svg>',
  resolve: '<svg viewBox="0 0 16 16" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" d="M3 8.5l3 3 7-7"/></svg>',
  reopen: '<svg viewBox="0 0 16 16" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" d="M3 8a5 5 0 109-3M12 2v3H9"/></svg>',
  user: '<svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="5.5" r="3" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M2.5 14c.8-2.6 2.9-4 5.5-4s4.7 1.4 5.5 4" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>',
};
