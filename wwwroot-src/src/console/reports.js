// The Reports view of the agent console (issue 25), for administrators only: a header button opens it in place of the
// conversations. A period (dates of this browser's time zone), an inbox and an agent filter; the period's figures,
// charts of each day (opened and resolved conversations, first response and resolution times), the CSAT ratings'
// distribution and latest comments; CSV downloads. Everything comes from /api/v2/accounts/1/reports (docs/api.md,
// "Reports"). Its own stylesheet (reports.css); the charts are reports-charts.js.

import { el } from "../render/dom.js";

/** The charts' bundle (reports-charts.js, with Chart.js), fetched the first time Reports opens: agents who never open
 *  it never download it. The address is made at run time, so esbuild leaves it out of agent.js. */
let charts;
const loadCharts = () => (charts ??= import(new URL("reports-charts.js", import.meta.url).href));

const REPORTS = "/api/v2/accounts/1/reports";

/** Called once signed in; does nothing for an agent who is not an administrator. `headers`: the API's (a download
 *  sends them too). */
export function installReports({ me, api, headers, header, columns }) {
  if (me.role !== "administrator") return;
  document.head.append(el("link", { rel: "stylesheet", href: "reports.css" }));
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

  const today = new Date();
  const from = el("input", { id: "report-from", type: "date", value: isoDate(addDays(today, -6)), required: true });
  const to = el("input", { id: "report-to", type: "date", value: isoDate(today), required: true });
  const inbox = el("select", { id: "report-inbox" }, el("option", { value: "" }, "All inboxes"));
  const agent = el("select", { id: "report-agent" }, el("option", { value: "" }, "All agents"));
  const error = el("p", { class: "reports-error", role: "alert", hidden: true });
  const status = el("p", { class: "reports-status", role: "status" });
  const cards = el("dl", { class: "reports-cards", "aria-label": "Figures of the period" });
  const volume = chartCanvas("reports-volume", "Conversations opened and resolved per day");
  const times = chartCanvas("reports-times", "Average first response and resolution time per day, in minutes");
  const csat = chartCanvas("reports-csat", "CSAT ratings from 1 to 5: number of answers each");
  const comments = el("ul", { class: "reports-comments", "aria-label": "Latest CSAT comments" });

  const form = el("form", { class: "reports-filters", "aria-label": "Report period and filters", onsubmit: (e) => { e.preventDefault(); load(); } },
    label("From", from), label("To", to), label("Inbox", inbox), label("Agent", agent),
    el("button", { class: "btn primary", type: "submit" }, "Show"),
    el("button", { id: "report-csv", class: "btn", type: "button", onclick: () => download("conversations.csv") }, "Download CSV"),
    el("button", { id: "report-csat-csv", class: "btn", type: "button", onclick: () => download("csat.csv") }, "Download CSAT CSV"));

  const view = el("section", { id: "reports", class: "reports", "aria-labelledby": "reports-title", hidden: true },
    el("div", { class: "reports-head" },
      el("h2", { id: "reports-title" }, "Reports"),
      el("span", { class: "reports-zone" }, `Days of ${zone}`),
      el("button", { class: "btn ghost", type: "button", onclick: close }, "Back to conversations")),
    form, error, status, cards,
    el("div", { class: "reports-grid" },
      panel("Conversations per day", volume.box),
      panel("Response and resolution times", times.box),
      panel("CSAT ratings", csat.box),
      panel("Latest CSAT comments", comments)));
  columns.after(view);

  const button = el("button", {
    id: "reports-button", class: "btn ghost reports-button", type: "button", "aria-pressed": "false",
    onclick: () => (view.hidden ? open() : close()),
  }, "Reports");
  header.prepend(button);
  // Settings and Reports take the same place: opening Settings closes Reports.
  document.getElementById("settings-button")?.addEventListener("click", () => { if (!view.hidden) hide(); });
  let filtersLoaded = false;
  // The header's "Conversations" link stops looking current while Reports is open (as Settings does).
  const conversationsLink = document.querySelector(".topnav a[aria-current]");

  async function open() {
    const settings = document.getElementById("settings");
    if (settings && !settings.hidden) document.querySelector("#settings .admin-head .btn")?.click();
    view.hidden = false;
    columns.hidden = true;
    conversationsLink?.removeAttribute("aria-current");
    button.setAttribute("aria-pressed", "true");
    if (!filtersLoaded) await loadFilters();
    await load();
  }

  function hide() {
    view.hidden = true;
    button.setAttribute("aria-pressed", "false");
  }

  function close() {
    hide();
    columns.hidden = false;
    conversationsLink?.setAttribute("aria-current", "page");
  }

  async function loadFilters() {
    try {
      const [inboxes, agents] = await Promise.all([api.get("/api/v1/inboxes"), api.get("/api/v1/agents")]);
      inbox.append(...inboxes.map((i) => el("option", { value: String(i.id) }, i.name)));
      agent.append(...agents.map((a) => el("option", { value: String(a.id) }, a.name)));
      filtersLoaded = true;
    } catch (err) {
      showError(err.message);
    }
  }

  /** The query of the chosen period: since the start of the first day, until the start of the day after the last. */
  function query() {
    const first = localMidnight(from.value);
    const last = localMidnight(to.value);
    if (first == null || last == null || last < first) return null;
    const params = new URLSearchParams({
      since: String(first / 1000), until: String(localMidnight(isoDate(addDays(new Date(last), 1))) / 1000), timezone: zone,
    });
    if (inbox.value) params.set("inbox_id", inbox.value);
    if (agent.value) params.set("agent_id", agent.value);
    return params.toString();
  }

  async function load() {
    const q = query();
    if (!q) return showError("Choose a first day on or before the last day.");
    showError("");
    status.textContent = "Loading…";
    try {
      await render(await api.get(`${REPORTS}/overview?${q}`));
      status.textContent = "";
    } catch (err) {
      status.textContent = "";
      showError(err.message);
    }
  }

  async function render(report) {
    const { drawChart } = await loadCharts();
    const s = report.summary;
    view.dataset.loaded = `${report.since}-${report.until}-${report.inbox_id ?? ""}-${report.agent_id ?? ""}`;
    cards.replaceChildren(
      ...card("Conversations opened", s.conversations_count, "opened"),
      ...card("Resolved", s.resolutions_count, "resolved"),
      ...card("First response, average", duration(s.avg_first_response_time), "avg-first-response"),
      ...card("First response, median", duration(s.median_first_response_time), "median-first-response"),
      ...card("Resolution, average", duration(s.avg_resolution_time), "avg-resolution"),
      ...card("Resolution, median", duration(s.median_resolution_time), "median-resolution"),
      ...card("CSAT", s.csat.average == null ? "–" : `${s.csat.average.toFixed(2)} / 5 (${s.csat.responses_count})`, "csat"));
    const labels = report.days.map((d) => d.date);
    drawChart(volume.canvas, "bar", labels, [
      { label: "Opened", data: report.days.map((d) => d.conversations_count) },
      { label: "Resolved", data: report.days.map((d) => d.resolutions_count) },
    ], { counts: true });
    drawChart(times.canvas, "line", labels, [
      { label: "First response (average)", data: report.days.map((d) => minutes(d.avg_first_response_time)) },
      { label: "Resolution (average)", data: report.days.map((d) => minutes(d.avg_resolution_time)) },
    ], { yTitle: "minutes" });
    drawChart(csat.canvas, "bar", ["1", "2", "3", "4", "5"], [
      { label: "Answers", data: [1, 2, 3, 4, 5].map((r) => s.csat.ratings_count[r] ?? 0),
        colors: ["#dc2626", "#ea580c", "#ca8a04", "#65a30d", "#16a34a"] },
    ], { counts: true });
    comments.replaceChildren(...(report.csat_comments.length === 0
      ? [el("li", { class: "reports-muted" }, "No comments in this period.")]
      : report.csat_comments.map((c) => el("li", {},
        el("span", { class: "reports-rating", "aria-label": `Rating ${c.rating} of 5` }, `${c.rating}/5`), " ",
        el("span", {}, c.comment), " ",
        el("span", { class: "reports-muted" }, `${c.agent_name ?? "unassigned"} · ${new Date(c.created_at * 1000).toLocaleString()}`)))));
  }

  /** Fetches a CSV with the API's headers and hands it to the browser as a download. */
  async function download(file) {
    const q = query();
    if (!q) return showError("Choose a first day on or before the last day.");
    try {
      const response = await fetch(`${REPORTS}/${file}?${q}`, { headers });
      if (!response.ok) throw new Error(`${response.status}: ${(await response.json().catch(() => null))?.detail ?? "download failed"}`);
      const url = URL.createObjectURL(await response.blob());
      const link = el("a", { href: url, download: `${file.replace(".csv", "")}-${from.value}-${to.value}.csv`, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      showError(err.message);
    }
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
  }
}

function chartCanvas(id, description) {
  const canvas = el("canvas", { id, role: "img", "aria-label": description });
  return { canvas, box: el("div", { class: "reports-chart" }, canvas) };
}

function panel(title, content) {
  return el("section", { class: "reports-panel" }, el("h3", {}, title), content);
}

function label(text, control) {
  return el("label", { class: "reports-field", for: control.id }, el("span", {}, text), control);
}

function card(term, value, key) {
  return [el("div", { class: "reports-card" }, el("dt", {}, term), el("dd", { "data-figure": key }, String(value)))];
}

/** Seconds as a person reads them: "45 s", "12 min", "3.5 h", "2.1 d"; "–" when nothing was measured. */
function duration(seconds) {
  if (seconds == null) return "–";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

function minutes(seconds) {
  return seconds == null ? null : Math.round(seconds / 6) / 10;
}

function isoDate(date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

function addDays(date, days) {
  const copy = new Date(date);
  copy.setDate(copy.getDate() + days);
  return copy;
}

/** The time (ms) of local midnight of a yyyy-mm-dd date; null when it is no date. */
function localMidnight(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? "");
  return match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime() : null;
}
