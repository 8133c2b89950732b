// Message text as Markdown (bold, italic, code, code blocks, links, lists), rendered by markdown-it with raw HTML
// off: whatever HTML a message holds shows as text. markdown-it's validateLink refuses javascript:, vbscript:,
// file: and most data: links.

import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
// Headings, tables, images and rules do not belong in chat bubbles: they stay plain text.
md.disable(["heading", "lheading", "table", "image", "hr"]);

const defaultLinkOpen = md.renderer.rules.link_open || ((tokens, i, options, env, self) => self.renderToken(tokens, i, options));
md.renderer.rules.link_open = (tokens, i, options, env, self) => {
  tokens[i].attrSet("target", "_blank");
  tokens[i].attrSet("rel", "noopener noreferrer nofollow");
  return defaultLinkOpen(tokens, i, options, env, self);
};

/** The HTML of a message's Markdown (safe to assign to innerHTML: markdown-it escapes everything else). */
export function markdownHtml(text) {
  return md.render(String(text ?? ""));
}

/** A node holding the rendered Markdown, for a bubble. */
export function markdownNode(text, doc = document) {
  const node = doc.createElement("div");
  node.className = "md";
  node.innerHTML = markdownHtml(text);
  return node;
}

/** What a message reads as without its marks, on one line: for previews and notifications. */
export function markdownText(text, doc = document) {
  const node = doc.createElement("div");
  node.innerHTML = markdownHtml(text); // a detached node: nothing loads or runs, and raw HTML is escaped anyway
  return node.textContent.replace(/\s+/g, " ").trim();
}
