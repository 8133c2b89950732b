// Times as both front ends show them. The API's times are Unix seconds; labels are in the browser's locale and
// time zone. (The formats are built once; /* @__PURE__ */ lets esbuild leave out those a bundle never uses.)

const timeFormat = /* @__PURE__ */ new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const weekdayFormat = /* @__PURE__ */ new Intl.DateTimeFormat(undefined, { weekday: "short" });
const dateFormat = /* @__PURE__ */ new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const fullFormat = /* @__PURE__ */ new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dayFormats = new Map(); // month style -> format, made on first use

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** "3:05 PM": a message's time. */
export const timeLabel = (seconds) => timeFormat.format(new Date(seconds * 1000));

/** "Dec 7, 2026, 3:05 PM": a tooltip, a conversation's start. */
export const fullTime = (seconds) => fullFormat.format(new Date(seconds * 1000));

/** The local calendar day of a time: messages of one day sit under one separator. */
export function dayKey(seconds) {
  const d = new Date(seconds * 1000);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** A day separator's label: "Today", "Yesterday", else the weekday and date ("Monday, December 7"; month
 *  "short": "Monday, Dec 7"). */
export function dayLabel(seconds, { month = "long", now = new Date() } = {}) {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime() / 1000;
  if (seconds >= start) return "Today";
  if (seconds >= start - 86400) return "Yesterday";
  let format = dayFormats.get(month);
  if (!format) dayFormats.set(month, (format = new Intl.DateTimeFormat(undefined, { weekday: "long", month, day: "numeric" })));
  return format.format(new Date(seconds * 1000));
}

/** "now", "5m", "3h", a weekday within a week, else a date: how long ago, as conversation lists show it. */
export function ago(seconds, now = nowSeconds()) {
  const d = now - seconds;
  if (d < 60) return "now";
  if (d < 3600) return `${Math.floor(d / 60)}m`;
  if (d < 86400) return `${Math.floor(d / 3600)}h`;
  if (d < 6 * 86400) return weekdayFormat.format(new Date(seconds * 1000));
  return dateFormat.format(new Date(seconds * 1000));
}

/** Unix seconds as a local date and time ("—" for none): tables of the Settings view. */
export function localDateTime(seconds) {
  return seconds == null ? "—" : new Date(seconds * 1000).toLocaleString();
}
