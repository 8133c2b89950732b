// Attachments in the front ends: uploading one file with progress (XHR: fetch reports no upload progress), and a
// message's attachments as nodes (image thumbnails that open large, other files as name + size links).

/** Uploads `file` as multipart field "attachment"; resolves to the server's attachment ({id, data_url...}),
 *  rejects with {status, code, message} (the server's problem detail, e.g. its 413 message). */
export function uploadFile(url, headers, file, onProgress) {
  return new Promise(function (resolve, reject) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    for (var name in headers || {}) xhr.setRequestHeader(name, headers[name]);
    xhr.upload.onprogress = function (e) { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
    xhr.onload = function () {
      var json = null;
      try { json = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else reject({ status: xhr.status, code: (json && json.title) || "error", message: (json && json.detail) || tooLargeText(xhr.status) || "The upload failed." });
    };
    xhr.onerror = function () { reject({ status: 0, code: "unavailable", message: "The upload failed: no connection.", retry: true }); };
    var form = new FormData();
    form.append("attachment", file, file.name || "pasted-image.png");
    xhr.send(form);
  });
}

function tooLargeText(status) { return status === 413 ? "The file is too large." : null; }

export function formatSize(bytes) {
  if (bytes < 1024) return bytes + " B";
  if (bytes < 1024 * 1024) return Math.round(bytes / 1024) + " KB";
  return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0) + " MB";
}

/** Why a file is refused before upload (null when it may go). */
export function tooLargeMessage(file, maxBytes) {
  if (!maxBytes || file.size <= maxBytes) return null;
  return "“" + (file.name || "This file") + "” is too large (" + formatSize(file.size) + "): files may be at most " + formatSize(maxBytes) + ".";
}

/** A signature of a message's attachments (views rebuild a message when it changes). */
export function attachmentsSignature(m) {
  return (m.attachments || []).map(function (a) { return a.id; }).join(",");
}

/** The attachments of a message as nodes, built with the app's `el`; `base` is the server's origin (URLs are
 *  relative to it); `openImage(url, name)` shows an image large. */
export function attachmentNodes(el, m, base, openImage) {
  var list = m.attachments || [];
  if (!list.length) return null;
  return el("div", { class: "attachments" }, list.map(function (a) {
    var url = base + (a.dataUrl || a.data_url);
    return a.fileType === "image" || a.file_type === "image"
      ? el("button", { type: "button", class: "attachment-image", "aria-label": "Open image " + nameOf(a),
          onclick: function () { openImage(url, nameOf(a)); } }, [el("img", { src: base + (a.thumbUrl || a.thumb_url), alt: nameOf(a), loading: "lazy" })])
      : el("a", { class: "attachment-file", href: url, target: "_blank", rel: "noopener", download: nameOf(a) }, [
          el("span", { class: "attachment-name", text: nameOf(a) }),
          el("span", { class: "attachment-size", text: formatSize(a.fileSize || a.file_size || 0) }),
        ]);
  }));
}

function nameOf(a) { return a.fileName || a.file_name || "file"; }
