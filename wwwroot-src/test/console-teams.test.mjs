import assert from "node:assert/strict";
import { test } from "node:test";
import { listRequest } from "../src/console/assignment.js";
import { matchesFilters } from "../src/console/conversations.js";
import { teamChoices, teamName } from "../src/console/teams.js";

test("the team choices list the account's teams by name after the empty choice", () => {
  const state = { teams: new Map([[2, "Night shift"], [1, "Billing"]]) };
  assert.deepEqual(teamChoices(state, "No team"), [["", "No team"], ["1", "Billing"], ["2", "Night shift"]]);
  assert.deepEqual(teamChoices({ teams: null }, "All teams"), [["", "All teams"]]);
});

test("a team is named by the console's teams, by its id while they are being read, and none is null", () => {
  const state = { teams: new Map([[1, "Billing"]]) };
  assert.equal(teamName(state, 1), "Billing");
  assert.equal(teamName(state, 9), "Team #9");
  assert.equal(teamName(state, null), null);
  assert.equal(teamName(state, undefined), null);
});

test("the team filter keeps the team's conversations only and a list call asks the hub for it", () => {
  const filters = { status: "open", assignee: "all", inboxId: null, teamId: 4 };
  assert.equal(matchesFilters({ status: "open", inboxId: 1, teamId: 4 }, filters, 1), true);
  assert.equal(matchesFilters({ status: "open", inboxId: 1, teamId: 5 }, filters, 1), false);
  assert.equal(matchesFilters({ status: "open", inboxId: 1 }, filters, 1), false);
  assert.equal(matchesFilters({ status: "open", inboxId: 1 }, { ...filters, teamId: null }, 1), true);
  assert.deepEqual(listRequest(filters, 1), { status: "open", assignee: "all", teamId: 4, page: 1 });
});
