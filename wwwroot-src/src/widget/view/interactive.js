// Chatwoot's interactive messages as controls the customer answers: input_select (buttons), input_csat (1-5 and
// optional feedback), form (fields), input_email, cards (image, title, description, link buttons). An answered
// message shows its answer instead ("Chose: Billing", "Rated 4/5: great").

import { ANSWERABLE, answerSummary, isAnswered } from "../../render/answers.js";
import { el } from "../../render/dom.js";
import { t } from "../i18n.js";

/** An answered message's summary in the widget's language (render/answers.js's words). */
const ANSWER_WORDS = {
  chose: (answer) => t("interactive.chose", { answer }),
  rated: (rating, feedback) => (feedback ? t("interactive.ratedWith", { rating, feedback }) : t("interactive.rated", { rating })),
  email: (email) => t("interactive.email", { email }),
  answered: (answer) => t("interactive.answered", { answer }),
};

const RATINGS = [[1, "😞"], [2, "😕"], [3, "😐"], [4, "🙂"], [5, "😍"]];

// What the customer has typed or picked in a message's fields (message id -> field name -> value), so that a
// control rebuilt before it is sent (an answer that failed, a resync after a reconnect, a changed attribute) shows
// it again instead of an empty field. Dropped once the message is answered.
const typed = new Map();

function keepTyped(m, name, input) {
  const values = typed.get(m.id);
  if (values && values.has(name)) input.value = values.get(name);
  const remember = () => {
    if (!typed.has(m.id)) typed.set(m.id, new Map());
    typed.get(m.id).set(name, input.value);
  };
  input.addEventListener("input", remember);
  input.addEventListener("change", remember);
  return input;
}

/** What makes the node change: the message's attributes and whether an answer is on its way. */
export function interactiveSignature(m, answering) {
  return JSON.stringify([m.contentType, m.contentAttributes ?? null, answering ?? null]);
}

/** The controls under an agent's message, or null for a plain one. `actions.answer(m, submittedValues)` sends an
 *  answer, `actions.say(text)` sends a message (a card's postback button). */
export function interactiveNode(m, actions) {
  const build = BUILDERS[m.contentType];
  if (!build) return null;
  const answering = actions.answering || {};
  if (ANSWERABLE.includes(m.contentType) && isAnswered(m)) {
    typed.delete(m.id);
    return el("div", { class: "interactive answered", "data-content-type": m.contentType }, [
      el("div", { class: "answer", text: answerSummary(m, ANSWER_WORDS) }),
    ]);
  }
  return el("div", { class: "interactive", "data-content-type": m.contentType }, [
    build(m, actions, !!answering.busy),
    answering.error ? el("div", { class: "answer-error", role: "alert", text: answering.error }) : null,
  ]);
}

const BUILDERS = {
  input_select: (m, actions, busy) => {
    const items = (m.contentAttributes && m.contentAttributes.items) || [];
    return el("div", { class: "options", role: "group", "aria-label": t("interactive.choose") }, items.map((item) => {
      return el("button", {
        type: "button", class: "option", disabled: busy, text: item.title,
        onclick: () => { actions.answer(m, [{ title: item.title, value: item.value }]); },
      });
    }));
  },

  input_csat: (m, actions, busy) => {
    let rating = 0;
    const buttons = RATINGS.map(([value, face]) => {
      return el("button", {
        type: "button", class: "rating", "data-rating": value, "aria-pressed": "false", disabled: busy,
        "aria-label": t("interactive.rate", { value }), text: face,
        onclick: () => {
          rating = value;
          buttons.forEach((b) => { b.setAttribute("aria-pressed", String(Number(b.dataset.rating) === value)); });
          submit.disabled = false;
        },
      });
    });
    const feedback = keepTyped(m, "feedback", el("textarea", { class: "field", rows: "2", placeholder: t("interactive.feedbackPlaceholder"), "aria-label": t("interactive.feedback"), maxlength: "1000" }));
    const submit = el("button", {
      type: "button", class: "primary", text: t("interactive.submitRating"), disabled: true,
      onclick: () => {
        const response = { rating };
        if (feedback.value.trim()) response.feedback_message = feedback.value.trim();
        actions.answer(m, { csat_survey_response: response });
      },
    });
    return el("div", { class: "csat" }, [el("div", { class: "ratings", role: "group", "aria-label": t("interactive.rating") }, buttons), feedback, submit]);
  },

  form: (m, actions, busy) => {
    const items = (m.contentAttributes && m.contentAttributes.items) || [];
    const fields = items.map((item) => ({ item, input: keepTyped(m, item.name, formInput(item)) }));
    return el("form", {
      class: "form",
      onsubmit: (e) => {
        e.preventDefault();
        actions.answer(m, fields.map((f) => ({ name: f.item.name, title: f.item.label || f.item.name, value: f.input.value })));
      },
    }, fields.map((f) => {
      return el("label", { class: "form-field" }, [el("span", { text: f.item.label || f.item.name }), f.input]);
    }).concat([el("button", { type: "submit", class: "primary", text: t("interactive.submit"), disabled: busy })]));
  },

  input_email: (m, actions, busy) => {
    const input = keepTyped(m, "email", el("input", { type: "email", class: "field", required: true, placeholder: "you@example.com", "aria-label": t("away.yourEmail"), autocomplete: "email" }));
    return el("form", {
      class: "form inline",
      onsubmit: (e) => { e.preventDefault(); actions.answer(m, { email: input.value.trim() }); },
    }, [input, el("button", { type: "submit", class: "primary", text: t("interactive.send"), disabled: busy })]);
  },

  cards: (m, actions) => {
    const items = (m.contentAttributes && m.contentAttributes.items) || [];
    return el("div", { class: "cards" }, items.map((card) => {
      return el("div", { class: "card" }, [
        isWebUrl(card.media_url) ? el("img", { class: "card-media", src: card.media_url, alt: "", loading: "lazy" }) : null,
        el("div", { class: "card-body" }, [
          card.title ? el("p", { class: "card-title", text: card.title }) : null,
          card.description ? el("p", { class: "card-text", text: card.description }) : null,
        ]),
        el("div", { class: "card-actions" }, (card.actions || []).map((a) => cardAction(a, actions))),
      ]);
    }));
  },
};

function formInput(item) {
  const attrs = { class: "field", name: item.name, placeholder: item.placeholder || null, required: !!item.required };
  if (item.type === "select") {
    return el("select", attrs, (item.options || []).map((o) => el("option", { value: o.value, text: o.label })));
  }
  if (item.type === "text_area") return el("textarea", Object.assign(attrs, { rows: "3" }));
  return el("input", Object.assign(attrs, { type: item.type === "email" ? "email" : "text", value: item.default || null }));
}

function cardAction(a, actions) {
  if (a.type === "link" && isWebUrl(a.uri)) {
    return el("a", { class: "card-button", href: a.uri, target: "_blank", rel: "noopener noreferrer nofollow", text: a.text });
  }
  if (a.type === "postback") {
    return el("button", { type: "button", class: "card-button", text: a.text, onclick: () => { actions.say(a.text); } });
  }
  return null;
}

/** Only http(s) links and images from message attributes (never javascript: or data:). */
function isWebUrl(u) {
  return typeof u === "string" && /^https?:\/\//i.test(u);
}
