// Times as the widget shows them, in the widget's language (i18n.js) rather than the browser's: a message's time and
// a day separator's label ("Today", "Yesterday", else the weekday and date). The console's are render/time.js's.

import { locale, t } from "./i18n.js";

const formats = new Map(); // locale + style -> Intl.DateTimeFormat, made on first use

function format(style, options) {
  const key = `${locale()}|${style}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale(), options)));
  return f;
}

/** "3:05 PM" / "15:05": a message's time. */
export const timeLabel = (seconds) => format("time", { hour: "numeric", minute: "2-digit" }).format(new Date(seconds * 1000));

/** A day separator's label: "Today", "Yesterday", else the weekday and date ("Monday, Dec 7"). */
export function dayLabel(seconds, now = new Date()) {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime() / 1000;
  if (seconds >= start) return t("log.today");
  if (seconds >= start - 86400) return t("log.yesterday");
  return format("day", { weekday: "long", month: "short", day: "numeric" }).format(new Date(seconds * 1000));
}
