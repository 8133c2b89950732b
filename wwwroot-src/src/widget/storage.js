// localStorage when the page allows it, else memory (sandboxed frames, privacy modes); sessionStorage likewise.

const memory = {};
export const storage = {
  get: function (key) {
    try { var v = localStorage.getItem(key); return v ? JSON.parse(v) : null; } catch (e) { return memory[key] || null; }
  },
  set: function (key, value) {
    memory[key] = value;
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* memory only */ }
  },
  remove: function (key) {
    delete memory[key];
    try { localStorage.removeItem(key); } catch (e) { /* memory only */ }
  },
};
export const session = {
  get: function (key) { try { return sessionStorage.getItem(key); } catch (e) { return null; } },
  set: function (key, value) { try { sessionStorage.setItem(key, value); } catch (e) { /* ignore */ } },
};
