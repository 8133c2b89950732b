// Chatwoot's interactive messages and their answers (content_attributes.submitted_values), as one line of text
// both front ends show: "Chose: Billing", "Rated 4/5: great".

export const ANSWERABLE = ["input_select", "input_csat", "form", "input_email"];

export function submittedValues(m) {
  return m?.contentAttributes?.submitted_values ?? null;
}

export function isAnswered(m) {
  const v = submittedValues(m);
  return v != null && (!Array.isArray(v) || v.length > 0);
}

/** The CSAT answer: Chatwoot keeps it as {csat_survey_response: {rating, feedback_message}}. */
export function csatAnswer(values) {
  const r = values?.csat_survey_response ?? values;
  return r && r.rating != null ? { rating: Number(r.rating), feedback: r.feedback_message || "" } : null;
}

/** How a summary reads (English for the console; the widget passes its translation). */
const ENGLISH = {
  chose: (answer) => `Chose: ${answer}`,
  rated: (rating, feedback) => `Rated ${rating}/5${feedback ? `: ${feedback}` : ""}`,
  email: (email) => `Email: ${email}`,
  answered: (answer) => `Answered: ${answer}`,
};

/** "Chose: Billing", "Rated 4/5: great", "Email: a@b.c", "Answered: Name: Ann, Plan: pro", or null. */
export function answerSummary(m, words = ENGLISH) {
  if (!isAnswered(m)) return null;
  const v = submittedValues(m);
  switch (m.contentType) {
    case "input_select": {
      const chosen = (Array.isArray(v) ? v : [v]).map((o) => o?.title ?? o?.value ?? String(o));
      return words.chose(chosen.join(", "));
    }
    case "input_csat": {
      const a = csatAnswer(v);
      return a ? words.rated(a.rating, a.feedback) : null;
    }
    case "input_email":
      return words.email(v.email ?? (Array.isArray(v) ? v[0]?.value : ""));
    case "form": {
      const fields = Array.isArray(v) ? v : Object.entries(v).map(([name, value]) => ({ name, value }));
      const labels = new Map((m.contentAttributes?.items ?? []).map((i) => [i.name, i.label || i.name]));
      return words.answered(fields.map((f) => `${labels.get(f.name) ?? f.title ?? f.name}: ${f.value}`).join(", "));
    }
    default:
      return null;
  }
}
