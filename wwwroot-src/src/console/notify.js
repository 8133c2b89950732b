// Tells an agent who is looking elsewhere (the tab hidden) about a new conversation or a customer message: a short
// beep (Web Audio, no sound file) and a desktop notification. Browsers allow both only after a user gesture, so
// the first click in the console asks for notification permission (once) and unlocks the audio.

import { markdownText } from "../render/markdown.js";

const BEEP_HZ = 880;
const BEEP_SECONDS = 0.18;

export function createNotifier(win = window) {
  let audio = null;

  win.document.addEventListener("click", () => {
    try { audio = audio || new (win.AudioContext || win.webkitAudioContext)(); } catch { /* no Web Audio */ }
    if ("Notification" in win && win.Notification.permission === "default") win.Notification.requestPermission().catch(() => {});
  }, { once: true });

  function beep() {
    if (!audio) return;
    if (audio.state === "suspended") audio.resume().catch(() => {});
    const now = audio.currentTime;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = BEEP_HZ;
    // A quick fade in and out: an abrupt start or stop clicks.
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.2, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + BEEP_SECONDS);
    tone.connect(gain).connect(audio.destination);
    tone.start(now);
    tone.stop(now + BEEP_SECONDS);
  }

  function show(title, body, tag) {
    if (win.document.visibilityState === "visible") return;
    beep();
    if (!("Notification" in win) || win.Notification.permission !== "granted") return;
    const n = new win.Notification(title, { body: String(body || "").slice(0, 200), tag });
    n.onclick = () => {
      win.focus();
      win.location.hash = tag.replace(/^chathub-/, "#/");
      n.close();
    };
  }

  return {
    /** A customer wrote; `startsConversation` for the first message of a conversation new to this console. */
    customerMessage(m, contactName, startsConversation) {
      show(startsConversation ? `New conversation: ${contactName}` : contactName, markdownText(m.content), `chathub-conversations/${m.conversationId}`);
    },
  };
}
