// "Nobody there" (Chatwoot's out-of-office notice and email collect): while the public inbox says no agent is online
// or it is closed (outside its working hours), the thread says so (the inbox's out-of-office message when it has one)
// and, once the customer has written, asks for their email (stored on the contact with UpdateContact), so that a
// reply written while they are away reaches them by email. With an email known, it offers the transcript by email.

/** Whether the widget should say nobody is there: the inbox is known and either no agent is online or it is closed. */
export function nobodyThere(inbox) {
  return !!inbox && (!inbox.online || inbox.isOpen === false);
}

import { t } from "./i18n.js";

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** @param app {state, ensureSession, invoke, contactUpdated, render} */
export function createAway(app) {
  const { state } = app;
  // value: what is typed; busy/error: the save; saved: the email just stored; transcript: idle|busy|sent|error text.
  state.away = { value: "", busy: false, error: null, saved: null, transcript: null };

  async function saveEmail() {
    const a = state.away;
    const email = a.value.trim();
    if (!EMAIL.test(email) || email.length > 320) {
      a.error = t("away.invalidEmail");
      app.render();
      return;
    }
    a.busy = true;
    a.error = null;
    app.render();
    try {
      await app.ensureSession(false);
      app.contactUpdated(await app.invoke("UpdateContact", { email }));
      a.saved = email;
    } catch (e) {
      a.error = e.retry ? t("error.notConnected") : t("away.saveFailed");
    }
    a.busy = false;
    app.render();
  }

  async function emailTranscript() {
    const a = state.away;
    if (!state.conversation) return;
    a.transcript = "busy";
    app.render();
    try {
      await app.ensureSession(false);
      await app.invoke("SendTranscript", state.conversation.id);
      a.transcript = "sent";
    } catch (e) {
      a.transcript = /rate_limited/.test(String(e.message)) ? t("away.transcriptTooSoon") : t("away.transcriptFailed");
    }
    app.render();
  }

  return { saveEmail, emailTranscript };
}
