// The one DOM helper of both front ends: elements built from data (text through textContent and attributes, never
// innerHTML, except our own constant SVG icons), and lists brought in line with their data without redrawing
// what did not change.

/** Creates an element. attrs: `class`, `text` (textContent), `html` (only for our own constant SVG icons), `on*`
 *  listeners, and plain attributes (true as "", null and false skipped). children: nodes, strings, or arrays of
 *  them, as many as given (null and false skipped): el("p", {}, "Hi ", name) and el("ul", {}, items) both work. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name === "html") node.innerHTML = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child != null && child !== false) node.append(child);
  return node;
}

/** Brings a container's children in line with entries [{key, sig, build}]: a node is rebuilt only when its
 *  signature changes and moved only when out of place, so focus, selection and screen readers are left alone
 *  (they hear only what is new). `cache` (key -> {sig, node}) is the caller's, kept between calls. */
export function reconcile(container, entries, cache) {
  const keys = new Set();
  const wanted = entries.map((e) => {
    keys.add(e.key);
    let hit = cache.get(e.key);
    if (!hit || hit.sig !== e.sig) {
      hit = { sig: e.sig, node: e.build() };
      cache.set(e.key, hit);
    }
    return hit.node;
  });
  for (const key of [...cache.keys()]) if (!keys.has(key)) cache.delete(key);
  let current = container.firstChild;
  for (const node of wanted) {
    if (node === current) current = current.nextSibling;
    else container.insertBefore(node, current);
  }
  while (current) {
    const next = current.nextSibling;
    current.remove();
    current = next;
  }
}
