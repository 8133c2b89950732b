using ChatHub.Contracts;
using ChatHub.Server.Realtime;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Conversations;

/// <summary>Builds a change's pushes now (rows are mutated further by the same command) and hands back the
/// action that sends them, for IChatWriter.AfterCommit. Contacts get the contact view; private notes go to
/// agents only.</summary>
public sealed class ConversationEvents(EventPublisher publisher)
{
    public Action Created(ConversationRow c)
    {
        var (forContact, forAgents) = (ConversationMapper.ToDto(c, true), ConversationMapper.ToDto(c, false));
        return () => publisher.Publish(AudienceOf(c), x => x.ConversationCreated(forContact), x => x.ConversationCreated(forAgents));
    }

    public Action Updated(ConversationRow c)
    {
        var (forContact, forAgents) = (ConversationMapper.ToDto(c, true), ConversationMapper.ToDto(c, false));
        return () => publisher.Publish(AudienceOf(c), x => x.ConversationUpdated(forContact), x => x.ConversationUpdated(forAgents));
    }

    /// <summary>The sender's own connection is skipped: it has the message as its call's result.</summary>
    public Action MessageCreated(MessageRow m, ConversationRow c, string? senderConnectionId)
    {
        var forContact = ConversationMapper.VisibleToContact(m) ? ConversationMapper.ToDto(m, c, true) : null;
        var forAgents = ConversationMapper.ToDto(m, c, false);
        return () => publisher.Publish(AudienceOf(c, senderConnectionId),
            forContact is null ? null : x => x.MessageCreated(forContact), x => x.MessageCreated(forAgents));
    }

    public Action MessageUpdated(MessageRow m, ConversationRow c)
    {
        var forContact = ConversationMapper.VisibleToContact(m) ? ConversationMapper.ToDto(m, c, true) : null;
        var forAgents = ConversationMapper.ToDto(m, c, false);
        return () => publisher.Publish(AudienceOf(c),
            forContact is null ? null : x => x.MessageUpdated(forContact), x => x.MessageUpdated(forAgents));
    }

    /// <summary>Typing goes to the other side (and other agents), never back to the typing connection.</summary>
    public void Typing(ConversationRow c, TypingEvent typing, bool fromContact, string? senderConnectionId) =>
        publisher.Publish(AudienceOf(c, senderConnectionId), fromContact ? null : x => x.Typing(typing), x => x.Typing(typing));

    private static Audience AudienceOf(ConversationRow c, string? except = null) => new(c.ContactPubsubToken, c.InboxId, except);
}
