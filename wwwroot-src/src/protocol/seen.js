// Read receipts from the seen markers (agentLastSeenAt, contactLastSeenAt). The API's times are whole seconds, but
// every change carries the conversation's seq, and seqs order exactly: a marker that rose at seq S covers every
// message before S. A marker set again within the same second shows no new time: whose was it? Then the newest
// page's read states, from the server, decide.

/** How a newer conversation state `next` moves the markers of the one `held`: which rose, and whether the change
 *  is ambiguous (a push with a higher seq that changes nothing visible while a marker is set: one of them was set
 *  again within the same second). */
export function seenChange(held, next, isPush) {
  const agentRose = (next.agentLastSeenAt || 0) > (held.agentLastSeenAt || 0);
  const contactRose = (next.contactLastSeenAt || 0) > (held.contactLastSeenAt || 0);
  const ambiguous = !!isPush && next.seq > (held.seq || 0) && !agentRose && !contactRose && next.status === held.status &&
    next.assigneeId === held.assigneeId && !!(next.agentLastSeenAt || next.contactLastSeenAt);
  return { agentRose, contactRose, ambiguous };
}

/** Whether the other side has read message `m`: the server says so, or its marker rose at a seq after `m`
 *  (`markerSeq`) and the marker's time (`markerAt`) is not before the message's. */
export function isRead(m, markerSeq, markerAt) {
  return m.status === "read" || (markerSeq > m.seq && (markerAt || 0) >= m.createdAt);
}
