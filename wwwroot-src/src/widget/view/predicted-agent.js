// The agent who will most likely answer (issue 27: the public inbox view's predicted_agent, name and avatar only), in
// the header until an agent has answered in this conversation: their avatar among the header's (panel.js) and their
// name under the title. Nothing when nobody of the inbox is online.

import { el } from "../../render/dom.js";
import { t } from "../i18n.js";

export function createPredictedAgent() {
  const name = el("span", { class: "predicted-agent-name" });
  const node = el("p", { class: "predicted-agent", hidden: true }, [document.createTextNode(`${t("header.predictedAgent")} `), name]);

  /** @param agent {name, avatarUrl} or null */
  function update(agent) {
    node.hidden = !agent;
    name.textContent = agent ? agent.name : "";
  }

  return { node, update };
}
