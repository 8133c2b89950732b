// The widget's settings, from its script tag's data-* attributes (see the header of main.js).

export function readConfig(script, pageUrl = location.href) {
  const data = script.dataset;
  return {
    inbox: (data.inbox || "").trim(),
    server: (data.server || new URL(script.src, pageUrl).origin).replace(/\/+$/, ""),
    identifier: data.identifier || null,
    identifierHash: data.identifierHash || null,
    name: data.name || null,
    email: data.email || null,
    prechat: data.prechat !== "off" && data.prechat !== "false",
    title: data.title || null,
    color: /^#[0-9a-f]{3,8}$/i.test(data.color || "") ? data.color : "#2563eb",
    left: data.position === "left",
    openAtStart: data.open === "true",
    locale: data.locale || null, // the widget's language (i18n.js: else the page's <html lang>, the browser's)
    sound: data.sound !== "off" && data.sound !== "false", // a short sound on a new agent reply while the panel is closed
  };
}
