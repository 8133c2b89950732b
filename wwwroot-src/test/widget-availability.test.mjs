import assert from "node:assert/strict";
import { test } from "node:test";
import { headerLine, isOpen } from "../src/widget/availability.js";

// Monday 2026-11-30 at 10:30 UTC.
const mondayMorning = new Date(Date.UTC(2026, 10, 30, 10, 30));
const weekdays9to17 = [1, 2, 3, 4, 5].map((d) => ({ day_of_week: d, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 0 }));

test("the reply time the inbox promises, and whether an agent is online", () => {
  assert.equal(headerLine({ replyTime: "in_a_day", online: false }, mondayMorning), "We typically reply in a day");
  assert.equal(headerLine({ replyTime: "in_a_few_hours", online: true }, mondayMorning), "We're online · we typically reply in a few hours");
  assert.equal(headerLine({ replyTime: "nonsense" }, mondayMorning), "We typically reply in a few minutes");
  assert.equal(headerLine(null, mondayMorning), "We typically reply in a few minutes");
});

test("outside working hours the header says away, whatever the agents", () => {
  const inbox = { replyTime: "in_a_few_minutes", online: true, workingHoursEnabled: true, workingHours: weekdays9to17, timezone: "UTC" };
  assert.match(headerLine(inbox, mondayMorning), /^We're online/);
  assert.match(headerLine(inbox, new Date(Date.UTC(2026, 10, 29, 10, 30))), /^We're away/); // Sunday
  assert.match(headerLine(inbox, new Date(Date.UTC(2026, 10, 30, 17, 0))), /^We're away/); // closing time
});

test("working hours are read in the inbox's time zone", () => {
  // 10:30 UTC is 05:30 in New York (EST): before 9:00 there.
  assert.equal(isOpen(weekdays9to17, "America/New_York", mondayMorning), false);
  assert.equal(isOpen(weekdays9to17, "Europe/Berlin", mondayMorning), true);
  assert.equal(isOpen([{ day_of_week: 1, open_all_day: true }], "UTC", mondayMorning), true);
  assert.equal(isOpen([{ day_of_week: 1, closed_all_day: true }], "UTC", mondayMorning), false);
  assert.equal(isOpen(weekdays9to17, "Not/AZone", mondayMorning), true); // read as UTC
});
