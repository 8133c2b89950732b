// The REST side of both front ends: one JSON call over fetch and one file upload (XHR, which reports upload
// progress), both turning a refusal into an ApiError (errors.js). A network failure rejects as fetch does (a
// TypeError): the callers decide whether to retry.

import { problemError } from "./errors.js";

/** A JSON API: `base` prefixes every path, `headers` go with every call (the agent's api_access_token),
 *  `credentials` is fetch's (the widget's "omit": its credentials are the contact's ids, never cookies).
 *  Resolves to the response's JSON (null for an empty body); rejects with an ApiError. */
export function createApi({ base = "", headers = {}, credentials } = {}) {
  async function request(method, path, body) {
    const sent = { ...headers };
    if (body !== undefined) sent["Content-Type"] = "application/json";
    const response = await fetch(base + path, {
      method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body), ...(credentials ? { credentials } : {}),
    });
    const json = parseJson(await response.text());
    if (!response.ok) throw problemError(response.status, json);
    return json;
  }
  return {
    request,
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body ?? {}),
    patch: (path, body) => request("PATCH", path, body ?? {}),
    del: (path) => request("DELETE", path),
  };
}

/** Uploads `file` as multipart field "attachment" to `url`; resolves to the server's attachment ({id, data_url...}).
 *  Rejects with an ApiError whose `detail` a person reads (the server's, e.g. its 413 message), or, without a
 *  connection, one with status 0, code "unavailable" and `retry`. */
export function uploadFile(url, headers, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    for (const [name, value] of Object.entries(headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      const json = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else reject(problemError(xhr.status, json, xhr.status === 413 ? "The file is too large." : "The upload failed."));
    };
    xhr.onerror = () => {
      reject(Object.assign(problemError(0, { title: "unavailable", detail: "The upload failed: no connection." }), { retry: true }));
    };
    const form = new FormData();
    form.append("attachment", file, file.name || "pasted-image.png");
    xhr.send(form);
  });
}

function parseJson(text) {
  if (!text) return null;
  try { return JSON.parse(text); } catch { return null; }
}
