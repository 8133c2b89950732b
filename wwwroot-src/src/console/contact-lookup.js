// The open conversation's contact as the API knows it (name, email). A conversation names only its contact's id,
// and a ContactUpdated push tells only what changes while the console is open: a returning customer who gave an
// email in an earlier visit showed "No email given" although the API had it. So the console asks once per contact.

/** @param app {state, api: the REST API (protocol/http.js), render(), accountId}. Returns lookup(contactId). */
export function createContactLookup({ state, api, render, accountId = 1 }) {
  const asked = new Set();
  return function lookup(contactId) {
    if (contactId == null || asked.has(contactId)) return Promise.resolve();
    asked.add(contactId);
    const before = state.contacts.get(contactId);
    return api.get(`/api/v1/accounts/${accountId}/contacts/${contactId}`).then((answer) => {
      const contact = answer?.payload;
      if (!contact) return;
      const known = state.contacts.get(contactId);
      // A ContactUpdated push that came while asking is newer than this answer.
      if (known !== before && known && "email" in known) return;
      state.contacts.set(contactId, { ...known, name: contact.name || known?.name || null, email: contact.email || null });
      render();
    }, () => { asked.delete(contactId); }); // asked again the next time it is shown
  };
}
