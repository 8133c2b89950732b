// Campaigns (issue 27): the inbox's enabled campaigns, read once when the widget starts; the first whose URL pattern
// matches this page and that this visitor has not seen is shown, after its time on page, as a bubble above the closed
// launcher - once per visitor (the ids seen are kept in localStorage). Opening it and writing starts the conversation
// with the campaign's id: the server puts the stored campaign's message first (the widget never sends its text).
//
// URL rule (trigger_rules.url): the page's URL without its #fragment is compared whole with the pattern, ignoring
// case and one trailing slash on either; "*" in the pattern matches any run of characters (also none, also "/"), so
// "https://shop.example/pricing" matches that page (with or without a trailing slash, not its query variants) and
// "https://shop.example/*" every page of the site. Chatwoot compares the two URLs exactly, trailing slash aside: a
// pattern without "*" behaves the same here.

import { storage } from "./storage.js";

const SEEN_KEY = (config) => `chathub.campaigns.${config.server}.${config.inbox}`;

const stripSlash = (s) => s.replace(/\/$/, "");

/** Whether `url` (the page's href) matches a campaign's URL pattern (the rule above). */
export function urlMatches(pattern, url) {
  if (typeof pattern !== "string" || !pattern) return false;
  const page = stripSlash(String(url).split("#")[0]);
  const source = stripSlash(pattern).split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`, "i").test(page);
}

/** The campaign to show on this page: the first (the list is newest first) that matches and was not seen, or null.
 *  One that runs only in business hours waits for an open inbox. */
export function campaignFor(campaigns, url, seenIds, inboxOpen = true) {
  return campaigns.find((c) => !seenIds.includes(c.id) && urlMatches(c.trigger_rules?.url, url)
    && (!c.trigger_only_during_business_hours || inboxOpen)) || null;
}

/** @param app {config, state, api, render} */
export function createCampaigns(app) {
  const { config, state } = app;
  let timer = 0;

  const seenIds = () => storage.get(SEEN_KEY(config)) || [];

  /** Reads the campaigns and arms the timer of this page's campaign; a visitor in a conversation already gets none. */
  function startCampaigns() {
    app.api.get("/campaigns").then((campaigns) => {
      if (!Array.isArray(campaigns)) return;
      const campaign = campaignFor(campaigns, location.href, seenIds(), state.inbox?.isOpen !== false);
      if (!campaign) return;
      clearTimeout(timer);
      timer = setTimeout(() => showCampaign(campaign), Math.max(0, Number(campaign.trigger_rules?.time_on_page) || 0) * 1000);
    }, () => { /* no campaigns: nothing to show */ });
  }

  function showCampaign(campaign) {
    if (state.open || state.conversation || state.fatal) return; // the visitor is chatting already
    storage.set(SEEN_KEY(config), [...seenIds(), campaign.id].slice(-100)); // once per visitor
    state.campaign = { id: campaign.id, message: campaign.message, sender: campaign.sender || null, accepted: false };
    app.render();
  }

  /** The bubble was opened: the panel shows the campaign's message, and the next message starts with it. */
  function acceptCampaign() {
    if (state.campaign) state.campaign.accepted = true;
  }

  function dismissCampaign() {
    state.campaign = null;
    app.render();
  }

  /** The campaign id a conversation starts with (an opened bubble); kept until the start succeeded, so that a retried
   *  start still names it. */
  function campaignForStart() {
    const c = state.campaign;
    return c && c.accepted ? c.id : null;
  }

  /** The conversation started (with the campaign's message in it, if any): the campaign's part is over. */
  function campaignStarted() {
    state.campaign = null;
  }

  return { startCampaigns, acceptCampaign, dismissCampaign, campaignForStart, campaignStarted };
}
