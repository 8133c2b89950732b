// How the console is signed in. With email and password: a session the server keeps in an HttpOnly cookie (the console
// never sees it), shared by every tab and kept across browser restarts until it expires or the agent signs out; unsafe
// calls echo the readable CSRF cookie in X-CSRF-Token, as the server requires. Behind a link, an access token (an
// integration's, or the reset-token command's), kept for this tab only as before.

import { problemError } from "../protocol/errors.js";

const TOKEN_KEY = "chathub.agent.token";
const CSRF_COOKIE = "chathub_csrf";

export function readCookie(name) {
  const prefix = `${name}=`;
  const hit = document.cookie.split("; ").find((c) => c.startsWith(prefix));
  return hit ? decodeURIComponent(hit.slice(prefix.length)) : null;
}

/** Whether a cookie session may be waiting (the CSRF cookie goes with the session's). */
export const hasSessionCookie = () => !!readCookie(CSRF_COOKIE);

/** The headers that authenticate a call: the access token, or (cookie session) the CSRF token. */
export const credentialHeaders = (auth) => (auth.token ? { api_access_token: auth.token } : { "X-CSRF-Token": readCookie(CSRF_COOKIE) || "" });

export function savedToken() {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

export function saveToken(token) {
  try { sessionStorage.setItem(TOKEN_KEY, token); } catch { /* private mode */ }
}

export function forgetToken() {
  try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* private mode */ }
}

async function post(method, path, body) {
  const response = await fetch(path, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  let json = null;
  try { json = await response.json(); } catch { /* no body */ }
  if (!response.ok) throw problemError(response.status, json);
  return json;
}

/** Signs in with email and password; the session lands in the cookie. */
export async function passwordSignIn(email, password) {
  try {
    await post("POST", "/auth/sign_in", { email, password, session: "cookie" });
  } catch (e) {
    if (e.status === 401) throw new Error("That email and password were not accepted.");
    if (e.status === 429) throw new Error("Too many attempts. Wait a few minutes, then try again.");
    throw e.status ? new Error(e.detail || `The server answered ${e.status}. Try again.`) : e;
  }
}

/** An invitation or reset link in the address (#invite=... or #reset=...), or null. */
export function linkInHash() {
  const m = /^#(invite|reset)=([A-Za-z0-9_-]+)$/.exec(location.hash);
  return m ? { kind: m[1], token: m[2] } : null;
}

/** Sets the password with a one-time link and signs in (the cookie). */
export async function acceptLink(token, password, confirmation) {
  try {
    await post("PUT", "/auth/password", { reset_password_token: token, password, password_confirmation: confirmation, session: "cookie" });
  } catch (e) {
    throw e.status ? new Error(e.detail || `The server answered ${e.status}. Try again.`) : e;
  }
}

/** Ends the cookie session (this one, or every one of the agent's); a token has none to end. */
export async function endSession(auth, everywhere = false) {
  if (auth?.token) return;
  try {
    await fetch(everywhere ? "/auth/sessions" : "/auth/sign_out", { method: "DELETE", headers: credentialHeaders(auth) });
  } catch { /* offline: the cookie expires on its own */ }
}
