// Files on their way under the message box (name, size, progress), and why a file was refused.

import { formatSize } from "../../render/attachments.js";
import { el } from "../../render/dom.js";
import { t } from "../i18n.js";

export function drawUploads(container, uploads, attachError) {
  const rows = uploads.map((u) => el("div", { class: "upload", "data-upload": u.name }, [
    el("span", { class: "upload-name", text: `${u.name} (${formatSize(u.size)})` }),
    el("progress", { max: "100", value: String(Math.round(u.progress * 100)), "aria-label": t("upload.progress", { name: u.name }) }),
  ]));
  if (attachError) rows.push(el("div", { class: "upload-error", role: "alert", text: attachError }));
  container.hidden = !rows.length;
  container.replaceChildren(...rows);
}
