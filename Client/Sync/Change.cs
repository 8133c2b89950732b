using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>One change to a conversation at its <see cref="Seq"/>, as the tracker holds and delivers it.</summary>
internal abstract record Change(long ConversationId, long Seq)
{
    public static Change Created(MessageDto message) => new MessageChange(message, IsUpdate: false);

    public static Change Updated(MessageDto message) => new MessageChange(message, IsUpdate: true);

    public static Change Created(ConversationDto conversation) => new ConversationChange(conversation, IsCreation: true);

    public static Change Updated(ConversationDto conversation) => new ConversationChange(conversation, IsCreation: false);
}

internal sealed record MessageChange(MessageDto Message, bool IsUpdate) : Change(Message.ConversationId, Message.Seq);

internal sealed record ConversationChange(ConversationDto Conversation, bool IsCreation) : Change(Conversation.Id, Conversation.Seq);

/// <summary>The conversation-level fields the app is told about (status, assignee, seen markers); a resync
/// compares them to decide whether the app needs a ConversationUpdated.</summary>
internal readonly record struct ConversationState(string Status, long? AssigneeId, long? ContactLastSeenAt, long? AgentLastSeenAt)
{
    public static ConversationState Of(ConversationDto c) => new(c.Status, c.AssigneeId, c.ContactLastSeenAt, c.AgentLastSeenAt);
}
