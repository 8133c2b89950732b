// localStorage when the page allows it, else memory (sandboxed frames, privacy modes); sessionStorage likewise.

const memory = {};

export const storage = {
  get(key) {
    try {
      const v = localStorage.getItem(key);
      return v ? JSON.parse(v) : null;
    } catch {
      return memory[key] || null;
    }
  },
  set(key, value) {
    memory[key] = value;
    try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* memory only */ }
  },
  remove(key) {
    delete memory[key];
    try { localStorage.removeItem(key); } catch { /* memory only */ }
  },
};

export const session = {
  get(key) {
    try { return sessionStorage.getItem(key); } catch { return null; }
  },
  set(key, value) {
    try { sessionStorage.setItem(key, value); } catch { /* not kept */ }
  },
};
