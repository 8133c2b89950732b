// The post-chat form (issue 27): once the customer rated the conversation (an answered input_csat message), the
// inbox's questions (read from the public inbox's /post_chat_form, once) follow in the log; the answers go to the hub's
// SubmitPostChatAnswers, once per conversation (remembered in localStorage, and the server refuses a second time).

import { isAnswered } from "../render/answers.js";
import { el } from "../render/dom.js";
import { storage } from "./storage.js";
import { t } from "./i18n.js";

const DONE_KEY = (config) => `chathub.postchat.${config.server}.${config.inbox}`;
const MAX_ANSWER = 1000;

export const POST_CHAT_CSS = [
  ".post-chat{display:flex;flex-direction:column;gap:10px;background:#fff;border:1px solid var(--line);border-radius:14px;padding:12px;margin-top:12px}",
  ".post-chat fieldset{border:0;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}",
  ".post-chat legend,.post-chat .question{font-weight:600;font-size:13px;padding:0}",
  ".post-chat .choices{display:flex;flex-wrap:wrap;gap:6px}",
  ".post-chat .choices label{display:flex;align-items:center;gap:4px;border:1px solid var(--line);border-radius:999px;padding:4px 10px;cursor:pointer}",
  ".post-chat .error{color:#b42318;font-size:13px;margin:0}",
  ".post-chat-done{margin-top:12px;text-align:center;color:var(--muted);font-size:13px}",
].join("\n");

/** @param app {config, state, api, invoke, ensureSession, render} */
export function createPostChat(app) {
  const { config, state } = app;

  const answered = () => storage.get(DONE_KEY(config)) || [];

  function loadPostChat() {
    if (state.postChat) return;
    state.postChat = { questions: [], loaded: false };
    app.api.get("/post_chat_form").then((r) => {
      state.postChat = { questions: Array.isArray(r?.questions) ? r.questions : [], loaded: true };
      app.render();
    }, () => { state.postChat = { questions: [], loaded: true }; });
  }

  function markAnswered(conversationId) {
    storage.set(DONE_KEY(config), [...answered(), conversationId].slice(-50));
  }

  /** Sends the answers; resolves to null, or to the error to show. */
  async function submitPostChat(conversationId, answers) {
    try {
      await app.ensureSession(false);
      await app.invoke("SubmitPostChatAnswers", conversationId, answers);
      markAnswered(conversationId);
      return null;
    } catch (e) {
      if (e?.code === "validation" && /answered already/.test(e.message || "")) {
        markAnswered(conversationId);
        return null;
      }
      return e?.retry ? t("error.notConnected") : (e?.message || t("postChat.failed"));
    } finally {
      app.render();
    }
  }

  return { loadPostChat, postChatAnswered: (id) => answered().includes(id), submitPostChat };
}

/** The log's entries: the form after a rated conversation, or its thanks. */
export function postChatEntries(app, entry) {
  const { state } = app;
  const c = state.conversation;
  if (!c) return;
  const rated = [...state.messages.values()].some((m) => m.contentType === "input_csat" && isAnswered(m));
  if (!rated) return;
  app.loadPostChat();
  const questions = state.postChat?.questions || [];
  if (!questions.length) return;
  if (app.postChatAnswered(c.id)) {
    entry(`post-chat-done:${c.id}`, "", () => el("p", { class: "post-chat-done", text: t("postChat.thanks") }));
    return;
  }
  entry(`post-chat:${c.id}`, JSON.stringify(questions), () => postChatForm(app, c.id, questions));
}

function postChatForm(app, conversationId, questions) {
  const fields = questions.map((q) => ({ q, ...questionInput(q) }));
  const error = el("p", { class: "error", role: "alert", hidden: true });
  const submit = el("button", { type: "submit", class: "primary", text: t("postChat.send") });
  return el("form", {
    class: "post-chat", "aria-label": t("postChat.title"),
    onsubmit: async (e) => {
      e.preventDefault();
      const answers = {};
      for (const f of fields) {
        const value = f.value();
        if (!value && f.q.required) {
          error.textContent = t("postChat.missing", { label: f.q.label });
          error.hidden = false;
          return;
        }
        if (value) answers[f.q.id] = value;
      }
      submit.disabled = true;
      const problem = await app.submitPostChat(conversationId, answers);
      submit.disabled = false;
      error.textContent = problem || "";
      error.hidden = !problem;
    },
  }, [...fields.map((f) => f.node), error, submit]);
}

function questionInput(q) {
  const label = q.label + (q.required ? " *" : "");
  if (q.type === "choice") {
    const name = `post-chat-${q.id}`;
    const radios = (q.options || []).map((o) => el("input", { type: "radio", name, value: o }));
    return {
      node: el("fieldset", {}, [el("legend", { text: label }),
        el("div", { class: "choices" }, radios.map((r) => el("label", {}, [r, el("span", { text: r.value })])))]),
      value: () => radios.find((r) => r.checked)?.value || "",
    };
  }
  const input = el("textarea", { class: "field", rows: "2", maxlength: String(MAX_ANSWER), "data-question": q.id });
  return {
    node: el("label", { class: "question-field" }, [el("span", { class: "question", text: label }), input]),
    value: () => input.value.trim(),
  };
}
