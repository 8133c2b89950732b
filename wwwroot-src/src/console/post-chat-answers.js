// The customer's answers to the inbox's post-chat form (issue 27) in the conversation's details column: read from
// /api/v1/accounts/1/conversations/{id}/post_chat_answers each time the details are drawn (a conversation update,
// such as the answers' own ConversationUpdated push, redraws them). Nothing is shown until there are answers.

import { el } from "../render/dom.js";

let api = null;

/** Called once signed in, with the agent's REST API (protocol/http.js). */
export function usePostChatApi(agentApi) {
  api = agentApi;
}

/** A section that fills itself with the answers, if any. */
export function postChatAnswersNode(conversationId) {
  const section = el("section", { class: "details-post-chat", "aria-label": "Post-chat answers", hidden: true });
  api?.get(`/api/v1/accounts/1/conversations/${conversationId}/post_chat_answers`).then((r) => {
    const answers = r?.answers || [];
    if (!answers.length) return;
    section.replaceChildren(el("h4", { text: "Post-chat answers" }),
      el("dl", { class: "details-list" }, answers.flatMap((a) => [el("dt", { text: a.label }), el("dd", { text: a.answer })])));
    section.hidden = false;
  }, () => { /* not allowed or gone: nothing to show */ });
  return section;
}
