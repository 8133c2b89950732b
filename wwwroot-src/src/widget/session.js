// The visitor's realtime session: the client API (REST under the inbox, Chatwoot's paths), the official SignalR
// browser client loaded from the ChatHub server on first use, and the hub connection with the contact's pubsub
// token (the contact created first when the customer writes).

import { Hub } from "../protocol/connection.js";
import { createApi } from "../protocol/http.js";
import { contactFields } from "./identity.js";

/** A function that loads {server}/lib/signalr/signalr.min.js once (again after a failure) and resolves to
 *  window.signalR. */
export function signalRLoader(server) {
  let loading = null;
  return function loadSignalR() {
    if (window.signalR?.HubConnectionBuilder) return Promise.resolve(window.signalR);
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = `${server}/lib/signalr/signalr.min.js`;
        s.async = true;
        s.onload = () => { if (window.signalR) resolve(window.signalR); else reject(new Error("signalR did not load")); };
        s.onerror = () => {
          loading = null;
          reject(Object.assign(new Error(`could not load ${s.src}`), { retry: true }));
        };
        document.head.appendChild(s);
      });
    }
    return loading;
  };
}

/** @param app {config, state, render, setIdentity, forgetIdentity, onPush(name, arg), refresh()} */
export function createSession(app) {
  const { config, state } = app;
  // Never cookies: the contact's source_id and pubsub_token are its credentials.
  const api = createApi({ base: `${config.server}/public/api/v1/inboxes/${encodeURIComponent(config.inbox)}`, credentials: "omit" });
  const loadSignalR = signalRLoader(config.server);
  let hub = null;
  let starting = null;

  /** Connects the hub with the contact's pubsub token (creating the contact first if `createContact`). */
  function ensureSession(createContact) {
    if (hub && (state.conn === "connected" || state.conn === "reconnecting")) return Promise.resolve();
    if (starting) return starting;
    starting = (async () => {
      try {
        if (!state.identity) {
          if (!createContact) return;
          app.setIdentity(await api.post("/contacts", contactFields(config, state.prechat)));
        }
        await connect();
      } finally {
        starting = null;
      }
    })();
    return starting;
  }

  /** Connects with the contact's pubsub token until it works; a refused token means the contact is gone. */
  async function connect() {
    const signalR = await loadSignalR();
    const current = new Hub({
      signalR, url: `${config.server}/hubs/chat`, token: state.identity.pubsubToken, logLevel: "None",
      handlers: {
        onPush: (name, arg) => { if (hub === current) app.onPush(name, arg); },
        onState: (s) => { if (hub === current) setConn(s === "stopped" ? "idle" : s); },
        onReconnected: () => { if (hub === current) app.refresh(); },
        onUnauthorized: () => {
          if (hub !== current) return;
          hub = null;
          app.forgetIdentity();
          setConn("idle");
        },
      },
    });
    hub = current;
    try {
      await current.start();
    } catch {
      return; // refused: onUnauthorized forgot the identity; the next message creates a new contact
    }
    await app.refresh();
  }

  function setConn(value) {
    state.conn = value;
    app.render();
  }

  /** A hub call; without a connection it fails with `retry` (the caller tries again after the reconnect). */
  function invoke(...args) {
    if (!hub) return Promise.reject(Object.assign(new Error("not connected"), { retry: true }));
    return hub.invoke(...args);
  }

  return { api, loadSignalR, ensureSession, invoke };
}
