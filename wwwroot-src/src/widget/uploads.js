// Files picked, dropped or pasted by the customer: each checked against the server's limit, uploaded with progress
// (which needs the contact: the first file creates it, like a first message), then queued as a message of its own.

import { uploadFile } from "../protocol/http.js";
import { formatSize } from "../render/attachments.js";
import { t } from "./i18n.js";
import { nowSeconds } from "../render/time.js";

/** @param app {config, state, outbox, ensureSession, render} */
export function createUploads(app) {
  const { config, state, outbox } = app;

  function uploadUrl() {
    return `${config.server}/public/api/v1/inboxes/${encodeURIComponent(config.inbox)}/contacts/${encodeURIComponent(state.identity.sourceId)}/uploads`;
  }

  /** The outbox keeps the order and retries the send with the same echoId; a refusal shows under the composer. */
  function attach(files) {
    state.attachError = null;
    for (const file of files) {
      const refused = tooLarge(file, state.maxAttachmentBytes);
      if (refused) {
        state.attachError = refused;
        continue;
      }
      const upload = { name: file.name || t("upload.pastedImage"), size: file.size, progress: 0 };
      state.uploads.push(upload);
      app.ensureSession(true)
        .then(() => {
          if (!state.identity) throw new Error(t("upload.noChat"));
          return uploadFile(uploadUrl(), {}, file, (p) => { upload.progress = p; app.render(); });
        })
        .then((attachment) => {
          outbox.add({ content: "", attachmentIds: [attachment.id], attachments: [attachment], createdAt: nowSeconds() });
          app.render({ toBottom: true });
          return outbox.flush();
        })
        .catch((e) => { state.attachError = e?.detail || e?.message || t("upload.failed"); })
        .then(() => {
          state.uploads = state.uploads.filter((u) => u !== upload);
          app.render();
        });
    }
    app.render();
  }

  return { attach };
}

/** Why a file is refused before upload (null when it may go), in the widget's language. */
function tooLarge(file, maxBytes) {
  if (!maxBytes || file.size <= maxBytes) return null;
  return t("upload.tooLarge", { name: file.name || t("upload.thisFile"), size: formatSize(file.size), max: formatSize(maxBytes) });
}
