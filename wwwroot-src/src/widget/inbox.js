// The inbox as the widget shows it (name, greeting, the header's availability, the attachment limit), read from
// the public inbox view when the widget starts and again each time its panel opens; while the widget has a session,
// the header's "We're online" follows the InboxAvailabilityChanged push (someone of the inbox online or not, never who).

import { t } from "./i18n.js";

/** The widget's view of the public inbox (GET /public/api/v1/inboxes/{identifier}). */
export function inboxView(inbox) {
  return {
    name: inbox.name, greetingEnabled: inbox.greeting_enabled, greetingMessage: inbox.greeting_message,
    identityValidation: inbox.identity_validation_enabled, replyTime: inbox.reply_time, online: !!inbox.online,
    workingHoursEnabled: inbox.working_hours_enabled, workingHours: inbox.working_hours || [], timezone: inbox.timezone,
    isOpen: inbox.is_open !== false, outOfOfficeMessage: inbox.out_of_office_message || null,
    // Issue 27: sneak peek on unless the inbox turned it off; the agent who will most likely answer, or null.
    sneakPeek: inbox.sneak_peek_enabled !== false,
    predictedAgent: inbox.predicted_agent ? { name: inbox.predicted_agent.name, avatarUrl: inbox.predicted_agent.avatar_url || null } : null,
    preChatFormEnabled: !!inbox.pre_chat_form_enabled, preChatMessage: inbox.pre_chat_form_options?.pre_chat_message || null,
    preChatFields: inbox.pre_chat_form_options?.pre_chat_fields || [],
  };
}

/** @param app {config, state, api, render} */
export function createInbox(app) {
  const { config, state } = app;

  function loadInbox() {
    return app.api.get("").then((inbox) => {
      state.inbox = inboxView(inbox);
      state.maxAttachmentBytes = inbox.max_attachment_bytes || 0;
      app.render();
    }, (e) => {
      if (e.status === 404 && !state.fatal) {
        state.fatal = t("error.notAvailable");
        // For the site owner: the one line that says what to fix.
        console.error(`ChatHub widget: no inbox "${config.inbox}" on ${config.server}: check data-inbox on the widget's script tag (the inbox identifier in the agent console or GET /api/v1/inboxes).`);
      }
      app.render();
    });
  }

  /** The push: the inbox gained its first online agent or lost its last one. */
  function inboxAvailability(availability) {
    if (!state.inbox) return;
    state.inbox = { ...state.inbox, online: !!availability.online };
    app.render();
  }

  return { loadInbox, inboxAvailability };
}
