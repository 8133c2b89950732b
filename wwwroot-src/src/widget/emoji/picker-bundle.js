// The emoji picker's own bundle (build.mjs -> wwwroot/lib/emoji/picker.js), loaded by the widget the first time the
// customer opens the picker (../emoji.js), so that widget.js stays small: emoji-picker-element (it defines the
// <emoji-picker> element) and its translations for the widget's languages. Its emoji data is served beside it
// (wwwroot/lib/emoji/data-<locale>.json, from emoji-picker-element-data), never fetched from a CDN.
import "emoji-picker-element";
import ar from "emoji-picker-element/i18n/ar.js";
import de from "emoji-picker-element/i18n/de.js";
import en from "emoji-picker-element/i18n/en.js";
import es from "emoji-picker-element/i18n/es.js";
import fr from "emoji-picker-element/i18n/fr.js";
import pt from "emoji-picker-element/i18n/pt_BR.js";

window.ChatHubEmojiPicker = { i18n: { ar, de, en, es, fr, pt } };
