// A conversation's log as both front ends lay it out: a day separator before each new day, activity lines ("resolved
// by ...") on their own, and other messages in groups: consecutive messages of one sender, on one day, each within
// five minutes of the one before, read as one group (its first shows who, its last the time).

import { dayKey } from "./time.js";

export const GROUP_WINDOW_S = 5 * 60;
const ACTIVITY = 2; // messageType: 0 from the customer, 1 from an agent, 2 an activity line

/** `items` in display order -> rows: {day, at} (a new day starts, `at` one of its times), {activity: m}, or
 *  {message: m, first, last}. `sameSender(a, b)` says whether two messages of the same type are one sender's. */
export function timeline(items, sameSender) {
  const grouped = (a, b) => !!a && !!b && a.messageType === b.messageType && a.messageType !== ACTIVITY &&
    dayKey(a.createdAt) === dayKey(b.createdAt) && Math.abs(a.createdAt - b.createdAt) <= GROUP_WINDOW_S && sameSender(a, b);
  const rows = [];
  let lastDay = null;
  items.forEach((m, i) => {
    const day = dayKey(m.createdAt);
    if (day !== lastDay) {
      rows.push({ day, at: m.createdAt });
      lastDay = day;
    }
    if (m.messageType === ACTIVITY) rows.push({ activity: m });
    else rows.push({ message: m, first: !grouped(items[i - 1], m), last: !grouped(m, items[i + 1]) });
  });
  return rows;
}
