// Visitors on the site (issue 27): from load, before any message, the widget reports the page it is on (URL, title,
// referrer) and then a heartbeat while the page stays open, so that the inbox's agents see the visitor "on the site
// now". The visitor is a random token kept in localStorage per inbox (a secret, like the contact's pubsub token: the
// server shows agents only an id derived from it), with the number of visits this browser made. When an agent starts
// a chat, a report's answer carries the contact to continue as and the widget opens with the agent's message.

import { storage } from "./storage.js";

/** Where the visitor token is kept (per inbox, like the identity). */
export const visitorKey = (config) => `chathub:${config.inbox}:visitor`;

/** A visit ends after this long without a report (the server's Visitors:VisitGap default). */
export const VISIT_GAP_MS = 30 * 60 * 1000;

// The server refuses longer ones (Visitors:MaxUrlLength, Visitors:MaxTitleLength): shortened here first.
const MAX_URL = 2000;
const MAX_TITLE = 300;

/** Where the conversations the widget opened for an agent's chat are kept (each is opened once). */
export const openedChatKey = (config) => `chathub:${config.inbox}:visitor-chat`;

/** Whether an invitation is one to act on: a conversation this browser has not opened for an agent yet. */
export function isNewInvitation(invitation, openedConversationId) {
  return !!invitation?.contact && invitation.conversation_id !== openedConversationId;
}

/** A new random token: 128 bits, base64url. */
export function newVisitorToken(random = (n) => crypto.getRandomValues(new Uint8Array(n))) {
  const bytes = random(16);
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The stored visitor after a report at `now`: a new one, or the same with its visit count up when the last report was
 *  longer than a visit's gap ago. */
export function nextVisitor(stored, now, makeToken = newVisitorToken) {
  const valid = stored && typeof stored.token === "string" && stored.token.length >= 16;
  if (!valid) return { token: makeToken(), visits: 1, lastSeenAt: now };
  const newVisit = !(stored.lastSeenAt > now - VISIT_GAP_MS);
  return { token: stored.token, visits: Math.max(1, stored.visits | 0) + (newVisit ? 1 : 0), lastSeenAt: now };
}

/** The page as the server takes it (shortened to its limits; the referrer only when there is one). */
export function pageOf(location, title, referrer) {
  const page = { url: String(location).slice(0, MAX_URL) };
  if (title) page.title = String(title).slice(0, MAX_TITLE);
  if (referrer) page.referrer = String(referrer).slice(0, MAX_URL);
  return page;
}

/** @param app {config, state, api, setIdentity, ensureSession, render}
 *  @param open opens the widget's panel */
export function createVisitor(app, { open }) {
  const { config, state } = app;
  const key = visitorKey(config);
  let heartbeatMs = 15000;
  let timer = 0;
  let failures = 0;
  let adopting = false;

  function report(path, page) {
    const visitor = nextVisitor(storage.get(key), Date.now());
    storage.set(key, visitor);
    const body = { visitor_token: visitor.token, visits: visitor.visits, ...page };
    if (state.identity?.sourceId) body.source_id = state.identity.sourceId;
    if (config.identifier) {
      body.identifier = config.identifier;
      body.identifier_hash = config.identifierHash;
    }
    return app.api.post(`/visitors/${path}`, body).then(answered, failed);
  }

  function answered(result) {
    failures = 0;
    if (result?.heartbeat_seconds > 0) heartbeatMs = result.heartbeat_seconds * 1000;
    if (result?.invitation) adopt(result.invitation);
    schedule(heartbeatMs);
  }

  /** Refused or unreachable: try again later, less often each time (an unknown inbox or a refused identity too, so a
   *  broken page never hammers the server). */
  function failed() {
    failures++;
    schedule(Math.min(heartbeatMs * 2 ** failures, 5 * 60 * 1000));
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(() => report("heartbeat", {}), ms);
  }

  /** An agent started a chat: continue as its contact (unless this browser is that contact already), connect, show the
   *  conversation and open, once per conversation. */
  async function adopt(invitation) {
    const openedKey = openedChatKey(config);
    if (adopting || !isNewInvitation(invitation, storage.get(openedKey))) return;
    adopting = true;
    try {
      if (state.identity?.contactId !== invitation.contact.id) app.setIdentity(invitation.contact);
      await app.ensureSession(false);
      await app.refresh(); // the newest conversation: the agent's
      storage.set(openedKey, invitation.conversation_id);
      open();
    } catch {
      // the next report hands it out again
    } finally {
      adopting = false;
    }
  }

  /** Reports this page; then heartbeats follow by themselves. */
  function start() {
    if (!config.inbox) return;
    report("page_views", pageOf(location.href, document.title, document.referrer));
  }

  return { start };
}
