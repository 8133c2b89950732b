// Who the visitor is: the contact the widget created (or the site's signed identity), kept in localStorage per
// inbox, so a returning visitor and the site's other tabs continue the same contact and conversation; and what a
// new contact and a new conversation are created with (the pre-chat fields, the page).

import { storage } from "./storage.js";

/** Where the identity is kept: per inbox, and per signed identifier (a guest is "guest"). */
export const identityKey = (config) => `chathub:${config.inbox}:${config.identifier ? `id:${config.identifier}` : "guest"}`;

/** Where the panel's open state is kept for the tab (sessionStorage). */
export const openKey = (config) => `chathub:${config.inbox}:open`;

/** The identity kept from a contact as the API returns it (REST's snake_case or the hub's camelCase). */
export function identityOf(contact) {
  return {
    sourceId: contact.source_id || contact.sourceId,
    pubsubToken: contact.pubsub_token || contact.pubsubToken,
    contactId: contact.id,
    name: contact.name || null,
    email: contact.email || null,
  };
}

/** A new contact's fields: the signed identifier, and the name and e-mail the page (data-name, data-email) or else
 *  the pre-chat form gave. */
export function contactFields(config, prechat) {
  const f = {};
  if (config.identifier) {
    f.identifier = config.identifier;
    f.identifier_hash = config.identifierHash;
  }
  const name = config.name || prechat.name.trim();
  const email = config.email || prechat.email.trim();
  if (name) f.name = name;
  if (email) f.email = email;
  return f;
}

/** A new conversation's custom attributes: the page it starts on, and the pre-chat e-mail unless the page gave one. */
export function startAttributes(config, prechat, page, preChatConversation = {}) {
  const a = { ...preChatConversation, page_url: page.url.slice(0, 500) };
  if (page.title) a.page_title = page.title.slice(0, 200);
  if (prechat.email.trim() && !config.email) a.email = prechat.email.trim().slice(0, 200);
  return a;
}

/** The identity's life in the widget: kept when a contact is created, forgotten when its token is refused, its
 *  name and e-mail followed (ContactUpdated), taken over from another tab. */
export function createIdentity(app) {
  const { config, state } = app;
  const key = identityKey(config);

  function setIdentity(contact) {
    state.identity = identityOf(contact);
    storage.set(key, state.identity);
  }

  /** The contact is gone (its token refused): the next message creates a new one. */
  function forgetIdentity() {
    storage.remove(key);
    state.identity = null;
    app.showConversation(null);
  }

  /** The pre-chat form was answered for this contact: it is not asked again (this tab or another, a later visit). */
  function markPrechatDone(done = true) {
    if (!state.identity) return;
    state.identity.prechatDone = done;
    storage.set(key, state.identity);
  }

  function contactUpdated(c) {
    if (!state.identity || c.id !== state.identity.contactId) return;
    state.identity.name = c.name || null;
    state.identity.email = c.email || null;
    storage.set(key, state.identity);
  }

  /** Another tab created this visitor (a storage event): continue with the same contact. Returns whether it did. */
  function adoptFromOtherTab(changedKey, newValue) {
    if (changedKey !== key || !newValue || state.identity) return false;
    state.identity = storage.get(key);
    return true;
  }

  return { setIdentity, forgetIdentity, contactUpdated, adoptFromOtherTab, markPrechatDone };
}
