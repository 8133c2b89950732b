// The agent's realtime connection: the official @microsoft/signalr client (window.signalR, loaded by
// index.html from /lib/signalr/signalr.min.js), reconnecting forever, with ChatHub's coded errors.

const CODED = /^(validation|unauthorized|forbidden|not_found|conflict|too_large|rate_limited|unavailable): ([\s\S]*)$/;

/** A hub call's failure: `code` set for ChatHub's own errors ("validation: ..."), `retry` for a lost connection. */
export function hubError(e) {
  const text = String(e?.message ?? e);
  const m = CODED.exec(text);
  return m ? Object.assign(new Error(m[2]), { code: m[1] }) : Object.assign(new Error(text), { retry: true });
}

export const PUSHES = ["MessageCreated", "MessageUpdated", "ConversationCreated", "ConversationUpdated", "Typing",
  "PresenceChanged", "ContactUpdated"];

export class Hub {
  /** @param handlers {onPush(name, arg), onState("connecting"|"connected"|"reconnecting"|"stopped"), onReconnected(), onUnauthorized()} */
  constructor(token, handlers) {
    this.handlers = handlers;
    this.stopped = false;
    const signalR = window.signalR;
    this.connection = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/chat", { accessTokenFactory: () => token })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => Math.min(10000, 500 * 2 ** c.previousRetryCount) })
      .configureLogging(signalR.LogLevel.Warning)
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
      setTimeout(() => this.start().then(() => handlers.onReconnected(), () => {}), 2000);
    });
  }

  get connected() {
    return this.connection.state === "Connected";
  }

  /** Starts, retrying with back-off until it works; a refused token ends it (onUnauthorized). */
  async start() {
    this.handlers.onState("connecting");
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        if (this.connection.state === "Disconnected") await this.connection.start();
        this.handlers.onState("connected");
        return;
      } catch (e) {
        if (/\b401\b|Unauthorized/.test(String(e?.message))) {
          this.stop();
          this.handlers.onUnauthorized();
          throw e;
        }
        this.handlers.onState("reconnecting");
        await new Promise((r) => setTimeout(r, Math.min(10000, 1000 * 2 ** attempt)));
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
