// Small DOM and time helpers of the widget.

/** Creates an element: attrs may hold class, text, on* listeners, and plain attributes (null/false skipped). */
export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  if (attrs) for (const k in attrs) {
    const v = attrs[k];
    if (v == null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k === "html") node.innerHTML = v; // only for our own constant SVG icons
    else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  (children || []).forEach((c) => { if (c != null) node.append(c); });
  return node;
}

export function initials(name) {
  const parts = String(name || "?").trim().split(/\s+/).filter((w) => /^[\p{L}\p{N}]/u.test(w));
  return ((parts[0] || "?")[0] + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "short", day: "numeric" });
export function timeLabel(seconds) { return timeFormat.format(new Date(seconds * 1000)); }
export function dayKey(seconds) { const d = new Date(seconds * 1000); return d.getFullYear() + "-" + d.getMonth() + "-" + d.getDate(); }
export function dayLabel(seconds) {
  const today = new Date();
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime() / 1000;
  if (seconds >= start) return "Today";
  if (seconds >= start - 86400) return "Yesterday";
  return dayFormat.format(new Date(seconds * 1000));
}
export function nowSeconds() { return Math.floor(Date.now() / 1000); }
