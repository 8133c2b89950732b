// The profile dialog (every agent, from its name in the top bar): name, the display name customers see, the avatar
// (an image shown beside the agent's messages in the widget), a new password, and "Sign out everywhere". The avatar goes
// as multipart (PATCH /api/v1/profile, Chatwoot's), the rest as JSON; errors are the server's.

import { el } from "../render/dom.js";
import { problemError } from "../protocol/errors.js";
import { errorLine, field } from "./admin/controls.js";

/** @param opts {api, headers: the calls' credential headers, onSaved(profile), onSignOutEverywhere()} */
export function installProfile({ api, headers, onSaved, onSignOutEverywhere }) {
  for (const sheet of ["admin.css", "profile.css"]) {
    if (!document.querySelector(`link[href="${sheet}"]`)) document.head.append(el("link", { rel: "stylesheet", href: sheet }));
  }
  const dialog = el("dialog", { class: "profile-dialog", "aria-label": "Your profile" });
  const name = el("input", { name: "name", maxlength: 255, required: true });
  const displayName = el("input", { name: "display_name", maxlength: 255, placeholder: "Shown to customers (optional)" });
  const avatar = el("input", { name: "avatar", type: "file", accept: "image/png,image/jpeg,image/gif,image/webp" });
  const removeAvatar = el("input", { name: "remove_avatar", type: "checkbox" });
  const current = el("input", { name: "current_password", type: "password", autocomplete: "current-password", maxlength: 256 });
  const password = el("input", { name: "password", type: "password", autocomplete: "new-password", maxlength: 256 });
  const error = errorLine();
  const status = el("p", { class: "admin-muted", role: "status" });
  const preview = el("span", { class: "avatar xl profile-avatar", "aria-hidden": "true" });
  const form = el("form", { method: "dialog", class: "admin-form", onsubmit: save },
    el("h3", {}, "Your profile"),
    preview,
    field("Name", name), field("Display name", displayName), field("Avatar (PNG, JPEG, GIF or WebP)", avatar),
    el("label", { class: "admin-check" }, removeAvatar, el("span", {}, "Remove my avatar")),
    el("h3", {}, "Password"),
    field("Current password (if you have one)", current), field("New password", password),
    error.node, status,
    el("div", { class: "admin-actions" },
      el("button", { class: "btn primary", type: "submit" }, "Save"),
      el("button", { class: "btn", type: "button", onclick: () => dialog.close() }, "Close")),
    el("h3", {}, "Sessions"),
    el("p", { class: "admin-muted" }, "Signs you out on every browser and device; access tokens for integrations keep working."),
    el("button", { class: "btn", type: "button", "data-action": "signout-everywhere", onclick: everywhere }, "Sign out everywhere"));
  dialog.append(form);
  document.body.append(dialog);

  function show(profile) {
    name.value = profile.name || "";
    displayName.value = profile.display_name && profile.display_name !== profile.name ? profile.display_name : "";
    avatar.value = "";
    removeAvatar.checked = false;
    current.value = "";
    password.value = "";
    error.clear();
    status.textContent = "";
    preview.replaceChildren(...(profile.avatar_url ? [el("img", { src: profile.avatar_url, alt: "" })] : []));
  }

  async function open() {
    try {
      show(await api.get("/api/v1/profile"));
    } catch (err) {
      error.show(err.message);
    }
    dialog.showModal();
  }

  async function save(e) {
    e.preventDefault();
    error.clear();
    const fields = { name: name.value.trim(), display_name: displayName.value.trim() };
    if (password.value) Object.assign(fields, { password: password.value, current_password: current.value });
    if (removeAvatar.checked) fields.remove_avatar = "true";
    try {
      let profile;
      if (avatar.files?.length) {
        const body = new FormData();
        for (const [key, value] of Object.entries(fields)) body.append(`profile[${key}]`, value);
        body.append("profile[avatar]", avatar.files[0]);
        const response = await fetch("/api/v1/profile", { method: "PATCH", headers, body });
        profile = await response.json().catch(() => null);
        if (!response.ok) throw problemError(response.status, profile);
      } else {
        profile = await api.patch("/api/v1/profile", fields);
      }
      show(profile);
      status.textContent = "Saved.";
      onSaved(profile);
    } catch (err) {
      error.show(err.detail || err.message);
    }
  }

  async function everywhere() {
    if (!confirm("Sign out on every browser and device, this one included?")) return;
    await onSignOutEverywhere();
  }

  return { open };
}
