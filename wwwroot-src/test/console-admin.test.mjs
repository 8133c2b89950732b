import assert from "node:assert/strict";
import { test } from "node:test";
import { dayForm, widgetSnippet, workingHoursPayload } from "../src/console/admin/inboxes-tab.js";

test("the widget snippet a site owner pastes", () => {
  assert.equal(widgetSnippet("abc123", "https://chat.example.com"),
    '<script src="https://chat.example.com/widget.js" data-inbox="abc123" async></script>');
});

test("a day of working hours as the form shows it", () => {
  assert.deepEqual(dayForm({ day_of_week: 1, open_hour: 8, open_minutes: 5, close_hour: 17, close_minutes: 30 }), { open: true, from: "08:05", to: "17:30" });
  assert.deepEqual(dayForm({ day_of_week: 0, closed_all_day: true }), { open: false, from: "09:00", to: "17:00" });
  assert.deepEqual(dayForm(undefined), { open: false, from: "09:00", to: "17:00" });
});

test("the working hours sent: every day open from-to or closed; none when they are off", () => {
  const days = [{ day: 0, open: false, from: "09:00", to: "17:00" }, { day: 1, open: true, from: "08:30", to: "18:00" }];
  assert.deepEqual(workingHoursPayload(true, days), [
    { day_of_week: 0, closed_all_day: true },
    { day_of_week: 1, open_hour: 8, open_minutes: 30, close_hour: 18, close_minutes: 0 },
  ]);
  assert.deepEqual(workingHoursPayload(false, days), []);
});
