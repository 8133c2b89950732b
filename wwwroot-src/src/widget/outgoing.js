// What the customer sends: messages (through the protocol's outbox: in order, retried with the same echoId, the
// first one starting the conversation), answers to interactive messages, typing, and the seen marker.

import { TypingSignal } from "../protocol/typing.js";
import { nowSeconds } from "../render/time.js";
import { t } from "./i18n.js";
import { startAttributes } from "./identity.js";
import { markAllSeen, showing } from "./conversation.js";

const SEEN_DELAY_MS = 250;

/** @param app {config, state, outbox, invoke, ensureSession, render, showConversation, addMessage, takeConversation} */
export function createOutgoing(app) {
  const { config, state, outbox } = app;
  let seenTimer = 0;
  const markedIds = {}; // conversation id -> the newest agent message id marked seen

  function send(text) {
    text = text.trim();
    if (!text) return;
    state.attachError = null; // a refused file's message belongs to that attempt, not to the messages after it
    outbox.add({ content: text, createdAt: nowSeconds() });
    stopTyping();
    app.peekSent(); // the message itself clears the agents' sneak peek
    app.render({ toBottom: true });
    app.ensureSession(true).then(() => outbox.flush(), failAll);
  }

  function failAll(e) {
    if (e?.retry) return; // sent once the connection is back
    if (e?.status === 401) state.fatal = t("error.unverifiedReload");
    outbox.failAll();
  }

  function retry(echoId) {
    outbox.retry(echoId);
    app.ensureSession(true).then(() => outbox.flush(), failAll);
  }

  /** Sends one queued message (the outbox keeps the order, retries with the same echoId after a reconnect - the
   *  server stores a repeated echoId once - and drops it on the ack); the first one starts the conversation. */
  async function sendQueued(item) {
    let c = state.conversation;
    if (!c && item.attachmentIds) {
      // A file first: the conversation starts without a message, the file follows.
      const started = await start({ customAttributes: conversationAttributes(), campaignId: app.campaignForStart() });
      app.campaignStarted();
      if (!showing(state, started.id)) app.showConversation(started);
      app.takeConversation(started);
      c = state.conversation;
    }
    if (!c) {
      const created = await start({
        customAttributes: conversationAttributes(), message: { content: item.content, echoId: item.echoId },
        campaignId: app.campaignForStart(),
      });
      app.campaignStarted();
      if (!showing(state, created.id)) app.showConversation(created);
      for (const m of created.messages) app.addMessage(m, false);
      app.takeConversation(created);
    } else {
      app.addMessage(await app.invoke("SendMessage", {
        conversationId: c.id, content: item.content, echoId: item.echoId, attachmentIds: item.attachmentIds || null,
      }), false);
    }
    app.render({ toBottom: true });
  }

  /** StartConversation; refused for the inbox's pre-chat form (its fields changed since the customer answered, or a
   *  required one is missing), the form is asked again. */
  async function start(request) {
    try {
      return await app.invoke("StartConversation", request);
    } catch (e) {
      if (e.code === "validation" && /pre-chat form/.test(e.message)) app.askPrechatAgain();
      throw e;
    }
  }

  function conversationAttributes() {
    return startAttributes(config, state.prechat, { url: location.href, title: document.title }, state.prechatConversation);
  }

  /** The customer's answer to an interactive message (SubmitValues): the result, and the MessageUpdated push
   *  to the customer's other tabs and the agents, carry it under contentAttributes.submitted_values. */
  async function answer(m, values) {
    state.answering[m.id] = { busy: true };
    app.render();
    try {
      await app.ensureSession(false);
      app.addMessage(await app.invoke("SubmitValues", m.id, values), false);
      delete state.answering[m.id];
    } catch (e) {
      state.answering[m.id] = { error: e.retry ? t("error.notConnected") : t("interactive.answerFailed") };
    }
    app.render();
  }

  /** Customer typing (throttled by TypingSignal), only into a conversation that exists. */
  const typingSignal = new TypingSignal({
    send: (on) => {
      if (state.conversation) app.invoke("SetTyping", state.conversation.id, on).catch(() => {});
    },
  });

  function typed(hasText, text) {
    app.peekTyped(text ?? ""); // sneak peek (sneak-peek.js): its own throttle and conditions
    if (!state.conversation || state.conn !== "connected") return;
    typingSignal.typed(hasText);
  }

  function stopTyping() {
    typingSignal.stop();
  }

  function isVisible() {
    return state.open && document.visibilityState === "visible";
  }

  /** Marks the conversation seen when the customer can see a newer agent message than last time. */
  function markSeenSoon() {
    clearTimeout(seenTimer);
    seenTimer = setTimeout(() => {
      const c = state.conversation;
      if (!c || !isVisible() || state.conn !== "connected") return;
      const newest = markAllSeen(state);
      app.render();
      if (newest <= (markedIds[c.id] || 0)) return;
      markedIds[c.id] = newest;
      app.invoke("MarkSeen", c.id).catch(() => { markedIds[c.id] = 0; });
    }, SEEN_DELAY_MS);
  }

  return { send, failAll, retry, sendQueued, answer, typed, stopTyping, isVisible, markSeenSoon };
}
