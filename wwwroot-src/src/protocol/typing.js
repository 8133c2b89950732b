// "Typing" as both front ends send it: "on" at most every few seconds while the person types, "off" after a few
// idle seconds, when the text is cleared or sent.

export const TYPING_SEND_EVERY_MS = 2500;
export const TYPING_IDLE_MS = 5000;

export class TypingSignal {
  /** @param send (isTyping) => void: tells the server. */
  constructor({ send, now = Date.now, timers = globalThis }) {
    Object.assign(this, { send, now, timers });
    this.on = false;
    this.sentAt = 0;
    this.idle = 0;
  }

  /** The text changed; `hasText` whether anything is left in the box. */
  typed(hasText) {
    this.timers.clearTimeout(this.idle);
    if (!hasText) { this.stop(); return; }
    const now = this.now();
    if (!this.on || now - this.sentAt > TYPING_SEND_EVERY_MS) {
      this.on = true;
      this.sentAt = now;
      this.send(true);
    }
    this.idle = this.timers.setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  stop() {
    this.timers.clearTimeout(this.idle);
    if (!this.on) return;
    this.on = false;
    this.send(false);
  }
}
