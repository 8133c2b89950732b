/*!
 * ChatHub chat widget. Embed with one tag:
 *
 *   <script src="https://chat.example.com/widget.js" data-inbox="INBOX_IDENTIFIER" async></script>
 *
 * Optional attributes: data-identifier + data-identifier-hash (signed identity for HMAC inboxes),
 * data-name, data-email (known visitor), data-prechat="off" (no name/email fields), data-title,
 * data-color (accent, e.g. "#2563eb"), data-position="left", data-open="true", data-server (the ChatHub origin;
 * default: where this file came from), data-locale (en, de, fr, es, pt, ar; default: the page's <html lang>, then the
 * browser's languages), data-sound="off" (no sound on a new reply).
 * JavaScript: window.ChatHubWidget.open() / .close() / .toggle().
 *
 * Everything lives in a shadow root (the host page's CSS cannot reach it). The official @microsoft/signalr
 * browser client is loaded from the same server (/lib/signalr/signalr.min.js) on first use.
 *
 * Messages are Markdown (never HTML); agents' interactive messages (buttons, rating, form, e-mail, cards) are
 * answered in place. Files (paperclip, drag and drop, pasted images) are uploaded first, with progress, then sent
 * by id (SendMessage's attachmentIds).
 *
 * Sources: wwwroot-src/src/widget/ (this file starts it and wires the modules beside it; view/ draws), with
 * ../protocol/ (connection, seq tracking, outbox, typing, errors, REST: shared with the agent console) and
 * ../render/ (DOM, Markdown, attachments, times), bundled by esbuild into one classic script.
 */
import { Outbox } from "../protocol/outbox.js";
import { SeqTracker } from "../protocol/seq.js";
import { readConfig } from "./config.js";
import { localeFor, setLocale, t } from "./i18n.js";
import { createState } from "./conversation.js";
import { createIdentity, identityKey, openKey } from "./identity.js";
import { createInbox } from "./inbox.js";
import { createOutgoing } from "./outgoing.js";
import { createSession } from "./session.js";
import { createSneakPeek } from "./sneak-peek.js";
import { session, storage } from "./storage.js";
import { createSync } from "./sync.js";
import { createAway } from "./away.js";
import { createCampaigns } from "./campaigns.js";
import { createPostChat } from "./post-chat.js";
import { createPrechat } from "./prechat.js";
import { createSound } from "./sound.js";
import { createUploads } from "./uploads.js";
import { createView } from "./view/view.js";
import { createVisitor } from "./visitor.js";

const script = document.currentScript;
if (script && !window.ChatHubWidget) {
  setLocale(localeFor(script));
  runWidget(readConfig(script));
}

/** One widget per page. `app` holds its state and every module's functions; a module reaches the others through
 *  it, at call time, so the order in which they are made does not matter. */
function runWidget(config) {
  const state = createState(storage.get(identityKey(config)), navigator.onLine !== false);
  const app = { config, state };
  // The contact's stream of changes: every seq up to seqs.lastSeq has been applied; a gap is filled by resync.
  app.seqs = new SeqTracker({ onGap: () => app.resync() });
  // Own messages not acknowledged yet: {echoId, content, attachmentIds, createdAt, failed, error}.
  app.outbox = new Outbox({
    send: (item) => app.sendQueued(item),
    canSend: () => state.conn === "connected",
    onChange: () => app.render(),
  });
  Object.assign(app, createIdentity(app), createSession(app), createSync(app), createOutgoing(app), createUploads(app), createInbox(app),
    createAway(app), createSneakPeek(app), createCampaigns(app), createPostChat(app), createPrechat(app), createSound(app));
  const view = createView(app, { setOpen, startNew });
  app.render = view.render;

  /** Opens or closes the panel; focus moves once it is drawn (into the composer, or to `focusAfter`). */
  function setOpen(open, focusAfter) {
    state.open = open;
    session.set(openKey(config), open ? "1" : "0");
    view.focusAfterDraw(open ? "composer" : focusAfter || null);
    app.render({ toBottom: open });
    if (open) {
      if (state.inbox) app.loadInbox();
      app.markSeenSoon();
      app.loadSignalR().catch(() => {}); // ready before the first message is sent
    }
  }

  /** "Start a new conversation" under a resolved one: the next message starts it. */
  function startNew() {
    state.fresh = true;
    app.showConversation(null);
    state.fresh = true;
    setTimeout(() => view.focusComposer(), 0);
  }

  function start() {
    if (!config.inbox) {
      console.error("ChatHub widget: add data-inbox=\"...\" (the inbox identifier) to its script tag.");
      return;
    }
    view.mount();
    state.open = config.openAtStart || session.get(openKey(config)) === "1";
    app.render({ toBottom: true });

    app.loadInbox();
    createVisitor(app, { open: () => setOpen(true) }).start(); // visitors on the site: page views and heartbeats
    app.startCampaigns();

    // A returning visitor (or a signed-in user) connects at once: unread messages and live updates.
    if (state.identity || config.identifier) {
      app.ensureSession(!!config.identifier).catch((e) => {
        if (e.status === 401) state.fatal = t("error.unverified");
        app.render();
      });
    }

    window.addEventListener("storage", (e) => {
      // Another tab created this visitor: continue with the same contact and conversation.
      if (app.adoptFromOtherTab(e.key, e.newValue)) app.ensureSession(false).then(() => app.outbox.flush(), () => {});
    });
    window.addEventListener("offline", () => {
      state.online = false;
      app.render();
    });
    window.addEventListener("online", () => {
      state.online = true;
      app.render();
      if (state.conn === "connected") app.refresh(); // catch up on anything the network dropped
    });
    document.addEventListener("visibilitychange", () => {
      if (app.isVisible()) app.markSeenSoon();
      app.render();
    });
  }

  window.ChatHubWidget = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!state.open),
  };

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
}
