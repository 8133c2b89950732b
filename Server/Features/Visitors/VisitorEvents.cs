using ChatHub.Contracts;
using ChatHub.Server.Application.Events;

namespace ChatHub.Server.Features.Visitors;

/// <summary>Not stored: a visitor opened a page, or came back to the site; agents of its inbox are told
/// (<see cref="Visibility.AgentsOfInboxSeeVisitors"/>).</summary>
public sealed record VisitorChanged(VisitorDto Visitor) : ChatEvent;

/// <summary>An agent's chat with a visitor was committed: the visitor's record names it, so that the visitor's widget
/// learns it at its next report (<see cref="VisitorInvitationSink"/>).</summary>
public sealed record VisitorInvited(long InboxId, string VisitorId, long ContactId, long ConversationId) : ChatEvent;
