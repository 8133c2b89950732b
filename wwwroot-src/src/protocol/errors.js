// ChatHub's error codes and what the front ends make of them, in one place: the hub's coded errors
// ("validation: content must not be empty") and the REST API's problem details (the code as the title).

export const ERROR_CODES = ["validation", "unauthorized", "forbidden", "not_found", "conflict", "too_large", "rate_limited", "unavailable"];
const CODED = new RegExp(`^(${ERROR_CODES.join("|")}): ([\\s\\S]*)$`);

/** A hub call's failure: `code` set for ChatHub's own errors, `retry` for anything else (a lost connection is
 *  worth retrying; the server never shows other exceptions to clients). */
export function hubError(e) {
  const text = String(e?.message ?? e);
  const m = CODED.exec(text);
  return m ? Object.assign(new Error(m[2]), { code: m[1] }) : Object.assign(new Error(text), { retry: true });
}

/** A refused token at negotiate (the SignalR client reports the HTTP status in its message). */
export function isUnauthorized(e) {
  return /\b401\b|Unauthorized/.test(String(e?.message ?? e));
}

/** What a failed send shows beside the message. */
export function sendFailureText(code) {
  return code === "validation" || code === "too_large" ? "Too long to send" : "Not sent";
}

/** A refused REST call or upload: the HTTP `status`, ChatHub's `code` (the problem's title; "error" without one),
 *  `detail` (the human half: what a person reads) and `message`, one line: "code: detail" (the Settings view shows it). */
export class ApiError extends Error {
  constructor(status, code, detail, message) {
    super(message);
    this.name = "ApiError";
    Object.assign(this, { status, code, detail });
  }
}

/** The error for a refused response: `problem` is its body as JSON (RFC 9457 problem details, or null when the
 *  answer was not JSON: a proxy's error page); `fallbackDetail` says what went wrong when the problem does not. */
export function problemError(status, problem, fallbackDetail = null) {
  const title = problem?.title || null;
  const detail = problem?.detail || fallbackDetail;
  const head = title || `The server answered ${status}`;
  return new ApiError(status, title || "error", detail, problem?.detail ? `${head}: ${problem.detail}` : head);
}
