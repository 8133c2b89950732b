// The ChatHub server as the widget reaches it: the client API (REST, Chatwoot's paths) and the official SignalR
// browser client, loaded from the server on first use.

/** A refused REST call: HTTP status and the problem's title as the code. */
export function ApiError(status, code, detail) {
  this.name = "ApiError";
  this.status = status;
  this.code = code;
  this.message = code + ": " + detail;
}
ApiError.prototype = Object.create(Error.prototype);

/** rest(method, path, body) under /public/api/v1/inboxes/{inbox}; never sends cookies (the credentials are the
 *  contact's source_id and pubsub_token). */
export function createRest(config) {
  return function rest(method, path, body) {
    return fetch(config.server + "/public/api/v1/inboxes/" + encodeURIComponent(config.inbox) + path, {
      method: method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      credentials: "omit",
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        if (!response.ok) throw new ApiError(response.status, (json && json.title) || "error", (json && json.detail) || response.statusText);
        return json;
      });
    });
  };
}

/** A function that loads /lib/signalr/signalr.min.js once (again after a failure) and resolves to window.signalR. */
export function signalRLoader(config) {
  var loading = null;
  return function loadSignalR() {
    if (window.signalR && window.signalR.HubConnectionBuilder) return Promise.resolve(window.signalR);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = config.server + "/lib/signalr/signalr.min.js";
        s.async = true;
        s.onload = function () { window.signalR ? resolve(window.signalR) : reject(new Error("signalR did not load")); };
        s.onerror = function () { loading = null; reject(Object.assign(new Error("could not load " + s.src), { retry: true })); };
        document.head.appendChild(s);
      });
    }
    return loading;
  };
}
