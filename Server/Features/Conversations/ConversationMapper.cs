using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Attachments;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Conversations;

/// <summary>Rows to wire shapes, for one viewer: contacts see their own seq stream, which private notes do not
/// take part in, so a customer never sees a gap where a note was written.</summary>
public static class ConversationMapper
{
    public static MessageDto ToDto(MessageRow m, Author? sender, ConversationRow c, bool forContact) => new()
    {
        Id = m.Id,
        ConversationId = m.ConversationId,
        InboxId = c.InboxId,
        Seq = forContact ? m.ContactSeq ?? 0 : m.Seq,
        MessageType = m.MessageType,
        Content = m.Content,
        ContentType = m.ContentType,
        ContentAttributes = JsonText.ToElement(m.ContentAttributes),
        Private = m.Private,
        Status = StatusOf(m, c),
        EchoId = m.EchoId,
        Sender = m.SenderType is null ? null : ToSender(sender) with { Id = m.SenderId ?? 0, Type = m.SenderType },
        CreatedAt = Clock.ToSeconds(m.CreatedAt),
        UpdatedAt = Clock.ToSeconds(m.UpdatedAt),
        Attachments = m.Attachments.Count == 0 ? [] : m.Attachments.Select(AttachmentFiles.ToDto).ToList(),
    };

    /// <param name="contact">The conversation's contact, for answers (shown without its credentials).</param>
    /// <param name="assignee">The assigned agent, for answers.</param>
    public static ConversationDto ToDto(ConversationRow c, bool forContact, IReadOnlyList<MessageDto>? messages = null,
        ContactRow? contact = null, AgentRow? assignee = null, TeamRow? team = null) => new()
    {
        Id = c.Id,
        Uuid = c.Uuid,
        InboxId = c.InboxId,
        ContactId = c.ContactId,
        Status = c.Status,
        AssigneeId = c.AssigneeId,
        Seq = forContact ? c.ContactSeq : c.Seq,
        CustomAttributes = JsonText.ToDictionary(c.CustomAttributes),
        ContactLastSeenAt = Clock.ToSeconds(c.ContactLastSeenAt),
        AgentLastSeenAt = Clock.ToSeconds(c.AgentLastSeenAt),
        CreatedAt = Clock.ToSeconds(c.CreatedAt),
        LastActivityAt = Clock.ToSeconds(c.LastActivityAt),
        Messages = messages ?? [],
        CsatRating = c.CsatRating,
        // What the agents keep for themselves.
        Labels = forContact ? [] : ConversationLabels.Of(c),
        Priority = forContact ? null : c.Priority,
        SnoozedUntil = forContact ? null : Clock.ToSeconds(c.SnoozedUntil),
        UnreadCount = forContact ? 0 : c.UnreadCount,
        TeamId = forContact ? null : c.TeamId,
        Team = forContact || team is null ? null : new TeamRefDto { Id = team.Id, Name = team.Name },
        Contact = contact is null ? null : ContactMapper.ToAgentDto(contact),
        // Agents see an assignee's e-mail and role (Chatwoot's agent partial); a customer only its name and availability.
        Assignee = assignee is null ? null : forContact ? ToSender(Authors.Of(assignee, assignee.Id))
            : ToSender(Authors.Of(assignee, assignee.Id)) with { Email = assignee.Email, Role = assignee.Role },
    };

    /// <summary>A message's or typist's sender, with the public details Chatwoot's push data shows.</summary>
    public static SenderDto ToSender(Author? author) => new()
    {
        Id = author?.Id ?? 0,
        Name = author?.Name,
        Type = author?.Type ?? SenderTypes.Contact,
        Email = author?.Details?.Email,
        PhoneNumber = author?.Details?.PhoneNumber,
        Identifier = author?.Details?.Identifier,
        AvatarUrl = author?.Details?.AvatarUrl,
        CustomAttributes = JsonText.ToDictionary(author?.Details?.CustomAttributes),
        Availability = author?.Details?.Availability,
    };

    public static IReadOnlyList<MessageDto> ToDtos(IEnumerable<MessageRow> rows, IReadOnlyDictionary<(string, long), Author> authors,
        ConversationRow c, bool forContact) =>
        rows.Select(m => ToDto(m, authors.Of(m), c, forContact)).ToList();

    /// <summary>Read state follows the other side's seen marker, so marking seen is one change, not one per message.</summary>
    private static string StatusOf(MessageRow m, ConversationRow c)
    {
        var seenByOtherSide = m.MessageType switch
        {
            MessageTypes.Incoming => c.AgentLastSeenAt,
            MessageTypes.Outgoing or MessageTypes.Template when !m.Private => c.ContactLastSeenAt,
            _ => null,
        };
        return seenByOtherSide >= m.CreatedAt ? "read" : "sent";
    }
}
