// The console's layout from a phone to a wide screen: which panes show is CSS (agent.css, "Layout"); this adds the
// two buttons it needs to the conversation's header ("Back", "Details") and keeps the details pane's state on .columns:
//   wide (more than 1180 px): list, conversation and details side by side; "Details" folds the details away
//     (remembered in localStorage);
//   narrower: list and conversation; "Details" shows the details in place of the list;
//   phone (760 px or less): one pane at a time: the list, the open conversation ("Back" returns to the list), or
//     its details under its header ("Details" or "Back" returns to the conversation).

import { el } from "../render/dom.js";

const WIDE = "(min-width: 1181px)";
const FOLDED_KEY = "chathub.agent.details-folded";
const BACK_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" d="M15 5l-7 7 7 7"/></svg>';
const DETAILS_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="3.5" y="4.5" width="17" height="15" rx="2.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M14.5 4.5v15" stroke="currentColor" stroke-width="2"/></svg>';

/** @param columns the .columns element; main the conversation's pane (its .thread-head built already);
 *  closeConversation() goes back to the list. Returns update(openId): called on every draw with the open
 *  conversation's id (a conversation opened on a narrow screen starts without its details). */
export function installLayout({ columns, main, closeConversation, storage = safeStorage() }) {
  const wide = window.matchMedia(WIDE);
  let folded = storage.get(FOLDED_KEY) === "1";
  let narrowOpen = false;
  let shownId = null;

  const back = el("button", { type: "button", class: "btn ghost thread-back", onclick: goBack },
    el("span", { class: "btn-icon", html: BACK_ICON }));
  const toggle = el("button", { type: "button", class: "btn details-toggle", "aria-label": "Details", "aria-controls": "details", onclick: toggleDetails },
    el("span", { class: "btn-icon", html: DETAILS_ICON }), el("span", { class: "details-toggle-label", text: "Details" }));
  // Beside the conversation's actions, not among them (their order is the header's own).
  const head = main.querySelector(".thread-head");
  head.prepend(back);
  head.append(toggle);

  function isOpen() {
    return wide.matches ? !folded : narrowOpen;
  }

  function apply() {
    const open = isOpen();
    columns.classList.toggle("details-open", open);
    toggle.setAttribute("aria-expanded", String(open));
    toggle.title = open ? "Hide the contact's details" : "Show the contact's details";
    back.setAttribute("aria-label", narrowOpen && !wide.matches ? "Back to the conversation" : "Back to conversations");
    back.title = back.getAttribute("aria-label");
  }

  function toggleDetails() {
    if (wide.matches) {
      folded = !folded;
      storage.set(FOLDED_KEY, folded ? "1" : "0");
    } else {
      narrowOpen = !narrowOpen;
    }
    apply();
  }

  function goBack() {
    if (narrowOpen && !wide.matches) {
      narrowOpen = false;
      apply();
    } else {
      closeConversation();
    }
  }

  wide.addEventListener("change", apply);
  apply();

  return function update(openId) {
    if (openId === shownId) return;
    shownId = openId;
    narrowOpen = false;
    apply();
  };
}

function safeStorage() {
  return {
    get: (key) => { try { return localStorage.getItem(key); } catch { return null; } },
    set: (key, value) => { try { localStorage.setItem(key, value); } catch { /* private mode */ } },
  };
}
