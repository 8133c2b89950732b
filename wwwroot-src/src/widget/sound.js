// A short sound when an agent's reply arrives while the panel is closed: two soft sine tones made with Web Audio (no
// sound file, nothing fetched). Off with data-sound="off". Browsers let a page play sound only after the visitor has
// interacted with it; before that the call does nothing.

/** @param app {config, state} */
export function createSound(app) {
  let context = null;
  let last = 0;

  function playReplySound() {
    if (!app.config.sound || app.state.open) return;
    const now = Date.now();
    if (now - last < 1500) return; // a burst of replies (a catch-up after a reconnect) sounds once
    last = now;
    try {
      const AudioContext = window.AudioContext || window.webkitAudioContext;
      if (!AudioContext) return;
      context ??= new AudioContext();
      if (context.state === "suspended") context.resume().catch(() => {});
      const start = context.currentTime;
      [[880, 0], [1320, 0.12]].forEach(([frequency, offset]) => {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.type = "sine";
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, start + offset);
        gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.18);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(start + offset);
        oscillator.stop(start + offset + 0.2);
      });
    } catch {
      // no audio here: the unread count and the preview still tell
    }
  }

  return { playReplySound };
}
