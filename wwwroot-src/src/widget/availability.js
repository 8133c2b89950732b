// The widget header's promise, from the inbox: away outside its working hours (in the inbox's time zone), otherwise
// whether an agent is online and how soon the inbox says it replies (Chatwoot's reply_time).

import { t } from "./i18n.js";

const REPLY_TIMES = ["in_a_few_minutes", "in_a_few_hours", "in_a_day"];
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The header line for `inbox` ({replyTime, online, workingHoursEnabled, workingHours, timezone}) at `now`. */
export function headerLine(inbox, now) {
  const reply = REPLY_TIMES.includes(inbox?.replyTime) ? inbox.replyTime : "in_a_few_minutes";
  if (!inbox) return t(`header.replyIn.${reply}`);
  if (inbox.workingHoursEnabled && !isOpen(inbox.workingHours || [], inbox.timezone, now)) {
    return t("header.away");
  }
  return t(inbox.online ? `header.online.${reply}` : `header.replyIn.${reply}`);
}

/** Whether `now` falls in the working hours of its weekday (Chatwoot's day_of_week: 0 = Sunday) in `timezone`. */
export function isOpen(workingHours, timezone, now) {
  const local = localTime(timezone, now);
  const day = workingHours.find((d) => d.day_of_week === local.day);
  if (!day || day.closed_all_day) return false;
  if (day.open_all_day) return true;
  const open = (day.open_hour || 0) * 60 + (day.open_minutes || 0);
  const close = (day.close_hour || 0) * 60 + (day.close_minutes || 0);
  return local.minutes >= open && local.minutes < close;
}

function localTime(timezone, now) {
  let parts;
  try {
    parts = new Intl.DateTimeFormat("en-US", { timeZone: timezone || "UTC", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(now);
  } catch {
    return localTime("UTC", now); // an unknown zone: the inbox's hours read as UTC
  }
  const get = (type) => parts.find((p) => p.type === type)?.value;
  return { day: WEEKDAYS.indexOf(get("weekday")), minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}
