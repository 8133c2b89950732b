// ChatHub agent console: sign in (email and password, or an access token), live conversation list, conversation view.
// State lives here, with the calls and pushes; conversations.js holds the list's state transitions, thread.js runs
// the open conversation, list-view.js and thread-view.js draw, notify.js sounds and shows new customer messages while
// the tab is hidden, admin/ is the administrators' Settings view. ../protocol/ holds the connection, seq tracking,
// the outbox and the REST calls shared with the widget; ../render/ the DOM helper, Markdown, attachments and times.

import { Hub } from "../protocol/connection.js";
import { createApi } from "../protocol/http.js";
import { initials } from "../render/avatar.js";
import { installSettings } from "./admin/settings.js";
import { usePostChatApi } from "./post-chat-answers.js";
import { installReports } from "./reports.js";
import { installCannedPicker } from "./canned.js";
import { createContactLookup } from "./contact-lookup.js";
import { createContactProfile } from "./contact-profile.js";
import { installContactsView } from "./contacts-view.js";
import {
  assigneeChoices, createConversationActions, createDirectory, createInboxFilter, createNoInboxNotice, listRequest,
} from "./assignment.js";
import {
  applyConversation, createNames, dropInbox, expireTyping, learn as learnFrom, listedEntries, messageArrived, typingOf,
  unreadTotal, upsert as upsertInto,
} from "./conversations.js";
import { Drafts, NOTE } from "./drafts.js";
import {
  createLabelDirectory, createLabelEditor, createLabelFilter, createLabelsBar, installLabelStyles, labelRequest,
} from "./labels.js";
import { installLayout } from "./layout.js";
import { createListView, listRow } from "./list-view.js";
import { createNotifier } from "./notify.js";
import { installProfile } from "./profile.js";
import {
  acceptLink, credentialHeaders, endSession, forgetToken, hasSessionCookie, linkInHash, passwordSignIn, savedToken, saveToken,
} from "./session.js";
import { createSneakPeeks } from "./sneak-peek.js";
import { createTeamFilter, createTeamPicker, createTeams, teamName } from "./teams.js";
import { createThreadView } from "./thread-view.js";
import { createSearch, highlightMessage } from "./search.js";
import { createThreads, lostAccess } from "./thread.js";
import { installVisitors } from "./visitors.js";

const TYPING_SHOWN_MS = 8000;

const state = {
  auth: null,                            // {token} (this tab) or {cookie: true} (a session): session.js
  headers: {},                           // the credential headers of REST calls and uploads
  me: null,                              // {id, name, email, role, availability}
  conn: "idle",
  online: navigator.onLine !== false,
  filters: { status: "open", assignee: "all", inboxId: null, teamId: null, label: null },
  inboxes: null,                         // inboxId -> name (assignment.js: the directory), myInboxes: the agent's own
  myInboxes: null,
  directory: null,                       // agentId -> {id, name, role, availability}
  teams: null,                           // teamId -> name (teams.js)
  labels: null,                          // title -> {id, title, color, description}: the account's labels (labels.js)
  convs: new Map(),                      // id -> {c, last, unread: Map(id -> seq), typing: {name, until} | null}
  page: 1,
  hasMorePages: false,
  listLoading: false,
  contacts: new Map(),                   // contactId -> {name, email}
  agents: new Map(),                     // agentId -> name
  selectedId: null,
  thread: null,                          // the open conversation: see newThread in thread.js
  drafts: new Drafts(),                  // the composer's text and mode (reply / private note), per conversation
};

let hub = null;
let lookupContact = () => {};
let restApi = null;
let presenceReady = false; // the picker waits for the hub and for sign-in's own choice (index.html starts it disabled)
let directory = null;
let teams = null;
let labelDirectory = null;
let visitors = null; // the Visitors view (visitors.js)
const notifier = createNotifier();
const sneakPeeks = createSneakPeeks({ render }); // what a customer is typing, before it is sent (issue 27)
const freshConversations = new Set(); // created while the console was open, not announced yet
const $ = (id) => document.getElementById(id);
const names = createNames(state);
const learn = (m) => learnFrom(state, m);
const { select, reveal, close, loadThread, addToThread, resync, refreshThreadStates, loadOlder, deliveryOf, isVisible, markSeenSoon,
  send, attach, retry, typed, stopTyping } = createThreads({ state, hub: () => hub, render, upsert, learn, lost: loseConversation });

// ------------------------------------------------------------------ sign in

/** @param auth {token} or {cookie: true} (session.js) */
async function signIn(auth, explicit) {
  const headers = credentialHeaders(auth);
  const api = createApi({ headers });
  let p;
  try {
    p = await api.get("/api/v1/profile");
  } catch (e) {
    if (e.status === 401) throw new Error(auth.token ? "That access token was not accepted." : "Your session has ended. Sign in again.");
    throw e.status ? new Error(`The server answered ${e.status}. Try again.`) : e;
  }
  // The console's selector shows what the agent chose (availability is what others see: offline until connected).
  state.me = { id: p.id, name: p.name, email: p.email, role: p.role, availability: p.chosen_availability || p.availability, avatarUrl: p.avatar_url || null };
  state.agents.set(p.id, p.name);
  state.auth = auth;
  state.headers = headers;
  if (auth.token) saveToken(auth.token);
  lookupContact = createContactLookup({ state, api, render });
  showApp();
  usePostChatApi(api);
  installSettings({ me: state.me, api, header: document.querySelector(".topbar-right"), columns: document.querySelector(".columns"), onLeftInbox });
  installReports({ me: state.me, api, headers, header: document.querySelector(".topbar-right"), columns: document.querySelector(".columns") });
  const profile = installProfile({
    api, headers,
    onSaved: (saved) => { Object.assign(state.me, { name: saved.name, avatarUrl: saved.avatar_url || null }); state.agents.set(p.id, saved.name); render(); },
    onSignOutEverywhere: async () => { await endSession(state.auth, true); signOut(""); },
  });
  $("me").addEventListener("click", () => profile.open());
  restApi = api;
  installContactsView({ api: () => restApi, nav: document.querySelector(".topnav"), columns: document.querySelector(".columns"), openConversation: select, onSaved: contactSaved });
  directory = createDirectory(api, state);
  teams = createTeams(api, state, render);
  await Promise.all([loadDirectory(), teams.load()]);
  labelDirectory = createLabelDirectory(api, state, render);
  await labelDirectory.load().catch((e) => console.warn("ChatHub console:", e.message));
  visitors = installVisitors({
    api, nav: document.querySelector(".topnav"), columns: document.querySelector(".columns"),
    canStart: (inboxId) => state.myInboxes?.has(inboxId) ?? false,
    onStarted: (c) => select(c.id), // the hub's ConversationCreated lists it; GetMessages loads it
  });

  hub = new Hub({
    signalR: window.signalR,
    url: "/hubs/chat",
    token: auth.token || null,
    handlers: {
      onPush,
      onState: (s) => { state.conn = s; render(); },
      onReconnected: () => reloadAll(),
      onUnauthorized: () => signOut(auth.token ? "Your access token is no longer valid." : "Your session has ended. Sign in again."),
    },
  });
  await hub.start();
  if (explicit && state.me.availability === "offline") await setAvailability("online");
  presenceReady = true; // only now: a choice made earlier would race the one signing in makes
  render();
  await reloadAll();
  const fromHash = /^#\/conversations\/(\d+)$/.exec(location.hash);
  if (fromHash && !state.thread) select(Number(fromHash[1]));
}

async function signOut(message, endingSession = false) {
  forgetToken();
  if (endingSession) await endSession(state.auth);
  hub?.stop();
  hub = null;
  location.hash = "";
  // A clean slate: every cached conversation belonged to the signed-out agent.
  sessionStorage.setItem("chathub.agent.signout-message", message || "");
  location.reload();
}

function showApp() {
  $("signin").hidden = true;
  $("app").hidden = false;
  document.title = "Conversations · ChatHub";
}

function showSignIn(message) {
  $("app").hidden = true;
  $("signin").hidden = false;
  $("signin-error").textContent = message || "";
  $("signin-error").hidden = !message;
  ($("signin-token").hidden ? $("email") : $("token")).focus();
}

/** An invitation or reset link was opened: the set-password form. */
function showSetPassword(link) {
  $("app").hidden = true;
  $("signin").hidden = false;
  $("signin-form").hidden = true;
  $("setpassword-form").hidden = false;
  $("setpassword-title").textContent = link.kind === "invite" ? "Welcome! Set your password" : "Set a new password";
  $("new-password").focus();
}

// ------------------------------------------------------------------ loading

/** After (re)connecting: the list again (every page loaded so far) and the open conversation caught up. */
async function reloadAll() {
  labelDirectory?.load().catch(() => {}); // colours changed while disconnected
  try {
    await loadList(false);
    if (state.thread?.loaded) await resync(state.thread);
    else if (state.thread) await loadThread(state.thread);
    state.thread?.outbox.flush();
  } catch (e) {
    if (!e.retry) console.warn("ChatHub console:", e.message);
  }
}

/** Inbox and agent names, and the agent's own inboxes (assignment.js). */
async function loadDirectory() {
  try {
    await directory.load();
  } catch (e) {
    if (!e.retry) console.warn("ChatHub console:", e.message);
  }
  conversationActions?.forget();
  render();
}

async function loadList(append) {
  const filters = { ...state.filters };
  const pages = append ? [state.page + 1] : Array.from({ length: state.page }, (_, i) => i + 1);
  state.listLoading = true;
  render();
  try {
    let lastCount = 0;
    for (const page of pages) {
      const list = await hub.invoke("ListConversations", { ...listRequest(filters, page), ...labelRequest(filters) });
      if (JSON.stringify(filters) !== JSON.stringify(state.filters)) return;
      for (const c of list) upsert(c, c.messages);
      lastCount = list.length;
      state.page = page;
    }
    state.hasMorePages = lastCount >= 25;
  } finally {
    state.listLoading = false;
    render();
  }
}

/** Takes a conversation (and optionally its newest messages) into the cache (conversations.js). */
function upsert(c, messages) {
  const entry = upsertInto(state, c, messages);
  // The open conversation counts nothing as unread: the agent is looking at it (marked seen if need be).
  if (messages?.length && state.thread?.id === c.id && isVisible()) markSeenSoon();
  return entry;
}

async function fetchConversation(id) {
  const r = await hub.invoke("GetMessages", { conversationId: id, limit: 20 });
  upsert(r.conversation, r.messages);
  render();
}

// ------------------------------------------------------------------ access lost

/** The server refused a conversation the console holds (lostAccess: an administrator removed the agent from its
 *  inbox). No event says so - the server just stops sending the inbox's - so the first refused call tells: the
 *  conversation leaves the list, and the view when open (replies not sent yet go with it), with a short notice. */
function loseConversation(id) {
  const held = state.convs.delete(id);
  freshConversations.delete(id);
  const open = state.thread?.id === id;
  if (open) close();
  if (held || open) toast("You are no longer a member of that conversation's inbox: it left your list.");
  render();
}

/** The administrator removed itself from an inbox (Settings): that inbox's conversations leave at once. */
function onLeftInbox(inbox) {
  if (dropInbox(state, inbox.id)) close();
  render();
}

// ------------------------------------------------------------------ pushes

function onPush(name, arg) {
  switch (name) {
    case "ConversationCreated":
      // Announced with its first customer message (the push carries none).
      if (!state.convs.has(arg.id)) freshConversations.add(arg.id);
      upsert(arg, []);
      break;
    case "ConversationUpdated":
      onConversationUpdated(arg);
      break;
    case "MessageCreated":
    case "MessageUpdated":
      onMessage(arg);
      break;
    case "Typing":
      onTyping(arg);
      break;
    case "PresenceChanged":
      // Another tab's choice, or the server's announcement of this agent's connection. Pushes of different origins may
      // cross (a connection announced late carries the choice as it was read then), so one that disagrees with what
      // this console shows is checked against the profile, the stored choice, rather than taken as it is.
      if (state.me && arg.agentId === state.me.id && (arg.chosenAvailability || arg.availability) !== state.me.availability) recheckMyAvailability();
      document.dispatchEvent(new CustomEvent("chathub:presence", { detail: arg })); // Settings > Agents follows it
      break;
    case "ContactUpdated":
      state.contacts.set(arg.id, { name: arg.name, email: arg.email });
      if (contactProfile?.contactId === arg.id) contactProfile.reload();
      break;
    case "InboxMembersChanged":
      onMembersChanged(arg);
      break;
    case "SneakPeek":
      sneakPeeks.received(arg);
      break;
    case "VisitorChanged":
      visitors?.changed(arg);
      break;
  }
  render();
}

/** Agents joined or left an inbox: the pickers ask again; when this agent joined, its inboxes and list are read again
 *  at once (a new member sees the inbox's conversations without signing in again). One that left keeps what it holds
 *  until its first refused call lets it go (loseConversation), with the notice that says why. */
function onMembersChanged(e) {
  conversationActions?.forget();
  if (!e.agentIds.includes(state.me.id)) return;
  loadDirectory().then(() => (e.added ? reloadAll() : undefined));
}

function onMessage(m) {
  if (m.messageType === 0) sneakPeeks.cleared(m.conversationId);
  const entry = state.convs.get(m.conversationId);
  if (!entry) {
    if (m.messageType === 0) notifier.customerMessage(m, m.sender?.name || "A customer", true);
    fetchConversation(m.conversationId).catch(() => {});
    return;
  }
  learn(m);
  messageArrived(entry, m);
  const t = state.thread;
  const open = t && t.id === m.conversationId;
  if (m.messageType === 0) {
    entry.typing = null;
    if (!entry.unread.has(m.id) && !t?.messages.has(m.id)) notifier.customerMessage(m, names.contact(entry.c), freshConversations.delete(m.conversationId));
    if (open && isVisible()) markSeenSoon();
    else entry.unread.set(m.id, m.seq);
  }
  if (open) {
    if (m.messageType === 1 && m.sender?.id !== state.me.id && t.typing) t.typing = null;
    addToThread(t, m);
    t.seqs.note(m.seq);
  }
}

function onConversationUpdated(c) {
  let entry = state.convs.get(c.id);
  if (!entry) {
    fetchConversation(c.id).catch(() => {});
    return;
  }
  takeConversation(entry, c, true);
  const t = state.thread;
  if (t && t.id === c.id) t.seqs.note(c.seq);
}

/** A newer conversation state (conversations.js); an ambiguous seen marker (the same second: the agent's or the
 *  customer's?) asks the server for the newest page's read states. */
function takeConversation(entry, c, isPush) {
  if (applyConversation(state, entry, c, isPush)) fetchConversation(c.id).then(() => refreshThreadStates(c.id)).catch(() => {});
}

function onTyping(e) {
  const entry = state.convs.get(e.conversationId);
  const typing = typingOf(e, Date.now(), TYPING_SHOWN_MS);
  if (e.sender.type === "contact" && entry) entry.typing = typing;
  const t = state.thread;
  if (t && t.id === e.conversationId) t.typing = typing;
  setTimeout(render, TYPING_SHOWN_MS + 50); // expire an indicator whose "off" never came
}

// ------------------------------------------------------------------ actions

/** An action on the open conversation (conversationId), or on none. */
async function run(action, conversationId) {
  try {
    return await action();
  } catch (e) {
    if (conversationId != null && lostAccess(e)) loseConversation(conversationId);
    else toast(e.retry ? "Not connected: try again in a moment." : e.message);
  }
}

async function toggleAssign() {
  const c = state.convs.get(state.thread?.id)?.c;
  if (!c) return;
  await run(async () => {
    const updated = await hub.invoke("Assign", c.id, c.assigneeId === state.me.id ? null : state.me.id);
    takeConversation(state.convs.get(c.id), updated, false);
    render();
  }, c.id);
}

async function toggleStatus() {
  const c = state.convs.get(state.thread?.id)?.c;
  if (!c) return;
  await run(async () => {
    const updated = await hub.invoke("SetStatus", c.id, c.status === "resolved" ? "open" : "resolved");
    takeConversation(state.convs.get(c.id), updated, false);
    render();
  }, c.id);
}

async function assignTo(conversationId, agentId) {
  await run(async () => {
    const updated = await hub.invoke("Assign", conversationId, agentId);
    takeConversation(state.convs.get(conversationId), updated, false);
    render();
  }, conversationId);
}

async function assignTeamTo(conversationId, teamId) {
  await run(async () => {
    const updated = await hub.invoke("AssignTeam", conversationId, teamId);
    takeConversation(state.convs.get(conversationId), updated, false);
    render();
  }, conversationId);
}

async function setStatusTo(conversationId, status) {
  await run(async () => {
    const updated = await hub.invoke("SetStatus", conversationId, status);
    takeConversation(state.convs.get(conversationId), updated, false);
    render();
  }, conversationId);
}

/** Changes a conversation's labels (labels.js): the answer shows at once, the hub's ConversationUpdated follows everywhere. */
const changeLabels = createLabelEditor({
  api: { post: (...args) => restApi.post(...args) },
  current: (id) => state.convs.get(id)?.c.labels ?? [],
  applied: (id, labels) => {
    const entry = state.convs.get(id);
    if (entry) entry.c = { ...entry.c, labels };
    render();
  },
  run,
});

/** A contact edited in a profile: its name and email show at once (the hub's ContactUpdated follows everywhere). */
function contactSaved(contact) {
  state.contacts.set(contact.id, { ...state.contacts.get(contact.id), name: contact.name || null, email: contact.email || null });
  render();
}

/** Snoozed until a time (Unix seconds), or until the customer replies (null): the application API takes the time. */
async function snoozeTo(conversationId, until) {
  await run(async () => {
    await restApi.post(`/api/v1/accounts/1/conversations/${conversationId}/toggle_status`,
      until == null ? { status: "snoozed" } : { status: "snoozed", snoozed_until: until });
    await fetchConversation(conversationId);
  }, conversationId);
}

// Counts this console's own choices: a profile read that started before the latest one is older than it.
let availabilityChoices = 0;

async function recheckMyAvailability() {
  const choicesBefore = availabilityChoices;
  try {
    const p = await restApi.get("/api/v1/profile");
    if (choicesBefore !== availabilityChoices) return;
    if (state.me && p.id === state.me.id) { state.me.availability = p.chosen_availability || p.availability; render(); }
  } catch { /* the next push or reload tells */ }
}

async function setAvailability(value) {
  availabilityChoices++;
  await run(async () => {
    await hub.invoke("SetAvailability", value);
    state.me.availability = value;
    render();
  });
}

function setFilter(change) {
  Object.assign(state.filters, change);
  state.page = 1;
  state.hasMorePages = false;
  render();
  loadList(false).catch((e) => { if (!e.retry) toast(e.message); });
}

let toastTimer = 0;
function toast(message) {
  const node = $("toast");
  node.textContent = message;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { node.hidden = true; }, 5000);
}

// ------------------------------------------------------------------ rendering

let updateList = null;
let updateThread = null;
let updateLayout = () => {};
let inboxFilter = null;
let labelFilter = null;
let labelsBar = null;
let noInboxNotice = null;
let conversationActions = null;
let teamPicker = null;
let teamFilter = null;
let contactProfile = null; // the open conversation's contact, under its details (contact-profile.js)
let queued = null;

function render(options = {}) {
  if (queued) {
    for (const k of Object.keys(options)) queued[k] = queued[k] || options[k];
    return;
  }
  queued = { ...options };
  const fire = () => { const o = queued; queued = null; draw(o); };
  if (document.visibilityState === "visible") requestAnimationFrame(fire);
  else setTimeout(fire, 0);
}

function draw(options) {
  if (!state.me || !updateList) return;
  expireTyping(state, Date.now());
  const t = state.thread;

  // Top bar.
  $("me-name").textContent = state.me.name;
  const meAvatar = $("me-avatar");
  if (state.me.avatarUrl) {
    if (meAvatar.querySelector("img")?.getAttribute("src") !== state.me.avatarUrl) meAvatar.replaceChildren(Object.assign(document.createElement("img"), { src: state.me.avatarUrl, alt: "" }));
  } else {
    meAvatar.textContent = initials(state.me.name);
  }
  $("presence").value = state.me.availability;
  // The choice goes through the hub: not offered before it is connected (the page shows before the hub starts).
  $("presence").disabled = !presenceReady || !hub || state.conn !== "connected";
  $("presence-dot").className = `dot ${state.me.availability}`;
  const banner = $("banner");
  const offline = !state.online;
  banner.hidden = !(offline || state.conn === "reconnecting" || state.conn === "connecting");
  banner.textContent = offline ? "You are offline. Replies will be sent when you are back." : state.conn === "connecting" ? "Connecting…" : "Reconnecting…";

  const listed = listedEntries(state);
  updateList(state, { conversations: listed.map((e) => listRow(e, state, names)), assignees: assigneeChoices(state) });
  inboxFilter.update(state);
  teamFilter.update(state);
  labelFilter.update(state);
  noInboxNotice.update(state);
  const unread = unreadTotal(state);
  document.title = `${unread ? `(${unread}) ` : ""}Conversations · ChatHub`;

  const c = t ? state.convs.get(t.id)?.c : null;
  if (c) lookupContact(c.contactId);
  contactProfile?.show(c?.contactId ?? null, c?.id ?? null);
  updateThread(state, {
    conversation: c,
    draft: t ? state.drafts.get(t.id) : null,
    contactName: c ? names.contact(c) : "",
    contactEmail: c ? names.email(c) : null,
    assigneeName: c ? names.agent(c.assigneeId) : null,
    inboxName: c ? names.inbox(c.inboxId) : null,
    teamName: c ? teamName(state, c.teamId) : null,
    typing: t?.typing?.name ?? null,
    connected: state.conn === "connected",
    deliveryOf,
    actions: { loadOlder, retry },
  }, options);
  sneakPeeks.update(t?.id ?? null, c ? names.contact(c) : "");
  updateLayout(t?.id ?? null);
  conversationActions.update(c, state, state.conn === "connected");
  teamPicker.update(c, state, state.conn === "connected");
  for (const entry of state.convs.values()) teams?.known(entry.c.teamId); // a team created since the console read them
  labelsBar.update(c, state, state.conn === "connected");
  labelDirectory?.notice([...listed.map((e) => e.c.labels), c?.labels]);
}

// ------------------------------------------------------------------ search (issue 25)

function installSearch() {
  const search = createSearch({
    hub: () => hub,
    contactName: (c) => names.contact(c),
    active: (on) => $("list").classList.toggle("searching", on),
    openConversation: (id) => { select(id); render(); },
    openMessage: async (conversationId, messageId) => {
      if (await reveal(conversationId, messageId).catch(() => false)) highlightMessage($("main"), messageId);
    },
  });
  $("list").querySelector(".sidebar-title").after(search.node);
  $("list").querySelector(".list-scroll").before(search.results);
}

// ------------------------------------------------------------------ start

function start() {
  inboxFilter = createInboxFilter(setFilter);
  labelFilter = createLabelFilter(setFilter);
  labelsBar = createLabelsBar(changeLabels);
  installLabelStyles();
  noInboxNotice = createNoInboxNotice();
  conversationActions = createConversationActions({ members: (id) => directory?.members(id) ?? Promise.resolve([]) },
    { assign: assignTo, setStatus: setStatusTo, snooze: snoozeTo });
  const readTeams = () => teams?.load();
  teamPicker = createTeamPicker({ assign: assignTeamTo, refresh: readTeams });
  conversationActions.node.querySelector(".assignee-picker").after(teamPicker.node);
  teamFilter = createTeamFilter(setFilter, readTeams);
  updateList = createListView($("list"), { setFilter, select, loadMore: () => loadList(true).catch(() => {}), extraFilters: [inboxFilter.node, teamFilter.node, labelFilter.node] });
  $("list").querySelector(".sidebar-head").after(noInboxNotice.node);
  contactProfile = createContactProfile({ api: () => restApi, openConversation: select, onSaved: contactSaved, idPrefix: "details-profile" });
  installSearch();
  updateThread = createThreadView($("main"), $("details"), {
    headerExtras: conversationActions.node,
    detailsExtras: contactProfile.node,
    labelsBar: labelsBar.node,
    sneakPeek: sneakPeeks.node,
    toggleAssign, toggleStatus, loadOlder, send, attach, typed, retry,
    draftChanged: (conversationId, text) => { if (conversationId != null) state.drafts.setText(conversationId, text); },
    setMode: (conversationId, mode) => {
      if (state.thread?.id !== conversationId) return; // a click on the composer of the conversation just left
      state.drafts.setMode(conversationId, mode);
      if (mode === NOTE) stopTyping();
      render({ focusComposer: true });
    },
  });

  installCannedPicker({
    input: $("main").querySelector(".composer-input"),
    api: () => restApi,
    variables: () => {
      const c = state.thread ? state.convs.get(state.thread.id)?.c : null;
      return { contact: { name: c ? names.contact(c) : "", email: c ? names.email(c) : "" }, agent: { name: state.me?.name }, conversation: { id: c?.id } };
    },
  });

  updateLayout = installLayout({ columns: document.querySelector(".columns"), main: $("main"), closeConversation: () => { close(); render(); } });

  $("signin-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const withToken = !$("signin-token").hidden;
    const token = $("token").value.trim();
    const email = $("email").value.trim();
    if (withToken ? !token : !email || !$("password").value) return;
    const button = $("signin-button");
    button.disabled = true;
    try {
      if (withToken) {
        await signIn({ token }, true);
      } else {
        await passwordSignIn(email, $("password").value);
        $("password").value = "";
        await signIn({ cookie: true }, true);
      }
    } catch (err) {
      showSignIn(err.message);
    } finally {
      button.disabled = false;
    }
  });
  $("use-token").addEventListener("click", () => {
    const toToken = $("signin-token").hidden;
    $("signin-token").hidden = !toToken;
    $("signin-password").hidden = toToken;
    $("use-token").textContent = toToken ? "Sign in with email and password" : "Use an access token instead";
    showSignIn("");
  });
  $("setpassword-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const link = linkInHash();
    const button = $("setpassword-button");
    button.disabled = true;
    try {
      if (!link) throw new Error("This link is incomplete: open it again from the invitation.");
      await acceptLink(link.token, $("new-password").value, $("confirm-password").value);
      history.replaceState(null, "", location.pathname); // the link is used up: out of the address and the history
      $("setpassword-form").hidden = true;
      $("signin-form").hidden = false;
      await signIn({ cookie: true }, true);
    } catch (err) {
      $("setpassword-error").textContent = err.message;
      $("setpassword-error").hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  $("presence").addEventListener("change", (e) => setAvailability(e.target.value));
  $("signout").addEventListener("click", () => signOut("", true));
  window.addEventListener("hashchange", () => {
    const m = /^#\/conversations\/(\d+)$/.exec(location.hash);
    if (m && hub) select(Number(m[1])); // a desktop notification was clicked
  });
  window.addEventListener("online", () => { state.online = true; render(); if (hub?.connected) reloadAll(); });
  window.addEventListener("offline", () => { state.online = false; render(); });
  document.addEventListener("visibilitychange", () => { if (isVisible()) markSeenSoon(); render(); });
  setInterval(() => render(), 30000); // "5m ago" labels age

  const saved = savedToken();
  let message = "";
  try {
    message = sessionStorage.getItem("chathub.agent.signout-message") || "";
    sessionStorage.removeItem("chathub.agent.signout-message");
  } catch { /* private mode */ }
  const link = linkInHash();
  if (link) {
    showSetPassword(link);
  } else if (saved) {
    signIn({ token: saved }, false).catch((err) => showSignIn(err.message));
  } else if (hasSessionCookie() && !message) {
    // Another tab, or an earlier visit, signed in: the session is in the cookie.
    signIn({ cookie: true }, false).catch(() => showSignIn(""));
  } else {
    showSignIn(message);
  }
}

start();
