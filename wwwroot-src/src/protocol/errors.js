// ChatHub's coded hub errors ("validation: content must not be empty") and what the front ends make of them.

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
