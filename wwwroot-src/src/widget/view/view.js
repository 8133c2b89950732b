// The widget's view: a <chathub-widget> element whose shadow root holds the launcher (launcher.js), the panel
// (panel.js) and its message log (log.js), drawn from the state on the next frame: many changes at once draw once.

import { el } from "../../render/dom.js";
import { isRtl, locale } from "../i18n.js";
import { createLauncher } from "./launcher.js";
import { createLog } from "./log.js";
import { createPanel } from "./panel.js";
import { AWAY_CSS } from "./away.js";
import { CAMPAIGN_CSS, createCampaignBubble } from "./campaign-bubble.js";
import { POST_CHAT_CSS } from "../post-chat.js";
import { PRECHAT_CSS } from "./prechat.js";
import { EMOJI_CSS } from "./emoji-button.js";
import { CSS } from "./styles.js";

const NEAR_BOTTOM_PX = 48; // a reader this close to the bottom follows new messages

/** @param app the widget (main.js): its config, state and actions
 *  @param actions {setOpen(open, focusAfter), startNew()} */
export function createView(app, actions) {
  const { config, state } = app;
  const host = document.createElement("chathub-widget");
  host.setAttribute("style", "all: initial !important; display: block !important;");
  const shadow = host.attachShadow({ mode: "open" });
  let ui = null; // the parts, once mounted
  let focusTarget = null; // "composer" or a node, focused after the next draw

  function mount() {
    const style = document.createElement("style");
    style.textContent = `${CSS}\n${AWAY_CSS}\n${CAMPAIGN_CSS}\n${POST_CHAT_CSS}\n${PRECHAT_CSS}\n${EMOJI_CSS}`.replace(/__ACCENT__/g, config.color);
    const launcher = createLauncher({
      toggle: () => actions.setOpen(!state.open),
      open: () => actions.setOpen(true),
      dismissPreview: () => { state.preview = null; render(); },
    }, config.server);
    const log = createLog(app, {
      startNew: () => actions.startNew(),
      openImage: (url, name) => panel.openImage(url, name),
      focusComposer,
      composerNext: () => { focusTarget = "composer"; render(); },
    });
    const panel = createPanel(app, { log: log.node, close: () => actions.setOpen(false, launcher.button) });
    const campaign = createCampaignBubble(app, {
      open: () => { app.acceptCampaign(); actions.setOpen(true); },
      dismiss: () => app.dismissCampaign(),
    });
    const root = el("div", { class: `root${config.left ? " left" : ""}`, lang: locale(), dir: isRtl() ? "rtl" : "ltr" },
      [panel.node, campaign.node, launcher.preview, launcher.button]);
    ui = { launcher, log, panel, root, campaign };
    shadow.append(style, root);
    (document.body || document.documentElement).appendChild(host);
  }

  let queued = null;
  /** Draws on the next frame (many pushes at once draw once); options: toBottom, keepOffsetFromBottom. */
  function render(options = {}) {
    if (queued) {
      queued.toBottom = queued.toBottom || options.toBottom;
      queued.keepOffsetFromBottom = queued.keepOffsetFromBottom || options.keepOffsetFromBottom;
      return;
    }
    queued = { ...options };
    const fire = () => {
      const o = queued;
      queued = null;
      draw(o);
    };
    if (document.visibilityState === "visible") requestAnimationFrame(fire);
    else setTimeout(fire, 0);
  }

  function draw(o) {
    if (!ui) return;
    const { launcher, log, panel, root } = ui;
    const s = panel.scroller;
    const fromBottom = s.scrollHeight - s.scrollTop;
    const atBottom = s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;

    root.classList.toggle("open", state.open);
    launcher.update(state);
    panel.updateHeader();
    log.update();
    panel.updateFoot();
    launcher.updatePreview(state);
    ui.campaign.update();

    if (focusTarget) {
      const composer = panel.composer;
      // The message box; else the pre-chat form's first field; else the close button.
      const formField = panel.node.querySelector(".inbox-prechat input, .inbox-prechat select");
      const target = focusTarget === "composer" ? (composer.node.hidden ? formField || panel.close : composer.input) : focusTarget;
      focusTarget = null;
      target.focus();
    }

    if (o.keepOffsetFromBottom) s.scrollTop = s.scrollHeight - fromBottom;
    else if (o.toBottom || atBottom) s.scrollTop = s.scrollHeight;
    // A short first page may not fill the panel: load more until it scrolls.
    if (state.open && state.hasOlder && !state.loadingOlder && s.scrollHeight <= s.clientHeight) app.loadOlder();
  }

  function focusComposer() {
    ui?.panel.composer.input.focus();
  }

  return {
    mount,
    render,
    focusComposer,
    /** Focus moves after the next draw: "composer" (the message box, or the close button when there is none), a
     *  node, or nowhere (null). */
    focusAfterDraw: (target) => { focusTarget = target; },
  };
}
