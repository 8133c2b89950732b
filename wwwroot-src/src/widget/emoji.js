// The composer's emoji picker: emoji-picker-element, loaded from the ChatHub server the first time the customer opens
// it ({server}/lib/emoji/picker.js, a classic script like SignalR's, so widget.js stays small), in the widget's
// language, with its emoji data from the same server (never a CDN).

import { locale } from "./i18n.js";

const DATA_LOCALES = ["en", "de", "fr", "es", "pt"]; // emoji-picker-element-data's names; others use English

/** A function that loads the picker's script once (again after a failure) and resolves to its translations. */
export function emojiLoader(server) {
  let loading = null;
  return function loadEmojiPicker() {
    if (window.ChatHubEmojiPicker) return Promise.resolve(window.ChatHubEmojiPicker);
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = `${server}/lib/emoji/picker.js`;
        s.async = true;
        s.onload = () => (window.ChatHubEmojiPicker ? resolve(window.ChatHubEmojiPicker) : reject(new Error("emoji picker did not load")));
        s.onerror = () => {
          loading = null;
          reject(new Error(`could not load ${s.src}`));
        };
        document.head.appendChild(s);
      });
    }
    return loading;
  };
}

/** A new <emoji-picker> in the widget's language (the element is defined once the script has loaded). */
export function createPickerElement(server, translations) {
  const lang = locale();
  const dataLocale = DATA_LOCALES.includes(lang) ? lang : "en";
  const picker = document.createElement("emoji-picker");
  picker.locale = dataLocale;
  picker.dataSource = `${server}/lib/emoji/data-${dataLocale}.json`;
  picker.i18n = translations.i18n[lang] || translations.i18n.en;
  return picker;
}
