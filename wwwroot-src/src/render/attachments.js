// Attachments as both front ends show them: a message's files as nodes (image thumbnails that open large, other
// files as name + size links), file sizes, and the check against the server's limit before an upload (the upload
// itself is protocol/http.js's).

import { el } from "./dom.js";

export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** Why a file is refused before upload (null when it may go). */
export function tooLargeMessage(file, maxBytes) {
  if (!maxBytes || file.size <= maxBytes) return null;
  return `“${file.name || "This file"}” is too large (${formatSize(file.size)}): files may be at most ${formatSize(maxBytes)}.`;
}

/** A signature of a message's attachments (views rebuild a message when it changes). */
export function attachmentsSignature(m) {
  return (m.attachments || []).map((a) => a.id).join(",");
}

/** The attachments of a message as nodes (null without any); `base` is the server's origin (URLs are relative to
 *  it); `openImage(url, name)` shows an image large. Both spellings are read: the hub's camelCase, REST's snake_case. */
export function attachmentNodes(m, base, openImage) {
  const list = m.attachments || [];
  if (!list.length) return null;
  return el("div", { class: "attachments" }, list.map((a) => {
    const url = base + (a.dataUrl || a.data_url);
    return a.fileType === "image" || a.file_type === "image"
      ? el("button", { type: "button", class: "attachment-image", "aria-label": `Open image ${nameOf(a)}`,
          onclick: () => openImage(url, nameOf(a)) }, [el("img", { src: base + (a.thumbUrl || a.thumb_url), alt: nameOf(a), loading: "lazy" })])
      : el("a", { class: "attachment-file", href: url, target: "_blank", rel: "noopener", download: nameOf(a) }, [
          el("span", { class: "attachment-name", text: nameOf(a) }),
          el("span", { class: "attachment-size", text: formatSize(a.fileSize || a.file_size || 0) }),
        ]);
  }));
}

function nameOf(a) {
  return a.fileName || a.file_name || "file";
}
