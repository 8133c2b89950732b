// The administration REST API as the Settings view calls it: api_access_token header, JSON both ways, and errors
// turned into one readable line from the problem details (title: detail).

export function createAdminApi(token) {
  async function call(method, path, body) {
    const headers = { api_access_token: token };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const json = text ? safeParse(text) : null;
    if (!response.ok) throw new Error(problemLine(response.status, json));
    return json;
  }
  return {
    get: (path) => call("GET", path),
    post: (path, body) => call("POST", path, body ?? {}),
    patch: (path, body) => call("PATCH", path, body ?? {}),
    del: (path) => call("DELETE", path),
  };
}

function safeParse(text) {
  try { return JSON.parse(text); } catch { return null; }
}

function problemLine(status, problem) {
  const title = problem?.title || `The server answered ${status}`;
  return problem?.detail ? `${title}: ${problem.detail}` : title;
}
