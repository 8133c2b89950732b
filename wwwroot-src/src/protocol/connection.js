// The realtime connection of both front ends: the official @microsoft/signalr client (window.signalR, loaded from
// /lib/signalr/signalr.min.js), reconnecting forever with back-off, ChatHub's coded errors on every call.

import { hubError, isUnauthorized } from "./errors.js";

export const PUSHES = ["MessageCreated", "MessageUpdated", "ConversationCreated", "ConversationUpdated", "Typing",
  "PresenceChanged", "ContactUpdated", "InboxAvailabilityChanged", "InboxMembersChanged", "SneakPeek",
  "VisitorChanged"];

const MAX_DELAY_MS = 10000;
/** SignalR's automatic reconnect: 0.5 s, 1 s, 2 s ... at most 10 s. */
export const reconnectDelayMs = (previousRetries) => Math.min(MAX_DELAY_MS, 500 * 2 ** previousRetries);
/** Our own restarts (a first start, or after SignalR gave up): 1 s, 2 s, 4 s ... at most 10 s. */
export const restartDelayMs = (attempt) => Math.min(MAX_DELAY_MS, 1000 * 2 ** attempt);
const RESTART_AFTER_CLOSE_MS = 2000;

export class Hub {
  /** @param handlers {onPush(name, arg), onState("connecting"|"connected"|"reconnecting"|"stopped"),
   *  onReconnected() (after every reconnect: catch up), onUnauthorized() (the token was refused)} */
  constructor({ signalR, url, token, handlers, logLevel = "Warning", wait = (ms) => new Promise((r) => setTimeout(r, ms)) }) {
    this.handlers = handlers;
    this.wait = wait;
    this.stopped = false;
    this.connection = new signalR.HubConnectionBuilder()
      // No token: the console's session cookie goes with the (same-origin) handshake.
      .withUrl(url, token ? { accessTokenFactory: () => token, withCredentials: false } : { withCredentials: false })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => reconnectDelayMs(c.previousRetryCount) })
      .configureLogging(signalR.LogLevel[logLevel])
      .build();
    for (const name of PUSHES) this.connection.on(name, (arg) => handlers.onPush(name, arg));
    this.connection.onreconnecting(() => handlers.onState("reconnecting"));
    this.connection.onreconnected(() => {
      handlers.onState("connected");
      handlers.onReconnected();
    });
    this.connection.onclose(() => {
      if (this.stopped) return;
      handlers.onState("reconnecting");
      this.wait(RESTART_AFTER_CLOSE_MS).then(() => this.start()).then(() => handlers.onReconnected(), () => {});
    });
  }

  get connected() {
    return this.connection.state === "Connected";
  }

  /** Starts, retrying with back-off until it works; a refused token ends it (onUnauthorized, and throws). */
  async start() {
    this.handlers.onState("connecting");
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        if (this.connection.state === "Disconnected") await this.connection.start();
        this.handlers.onState("connected");
        return;
      } catch (e) {
        if (isUnauthorized(e)) {
          this.stop();
          this.handlers.onUnauthorized();
          throw e;
        }
        this.handlers.onState("reconnecting");
        await this.wait(restartDelayMs(attempt));
      }
    }
  }

  async invoke(method, ...args) {
    if (!this.connected) throw Object.assign(new Error("not connected"), { retry: true });
    try {
      return await this.connection.invoke(method, ...args);
    } catch (e) {
      throw hubError(e);
    }
  }

  stop() {
    this.stopped = true;
    this.handlers.onState("stopped");
    return this.connection.stop();
  }
}
