using System.Text.Json;

namespace ChatHub.Contracts;

// Arguments and results of the hub methods that take or return more than one value.

public sealed record NewMessage
{
    public string? Content { get; init; }
    public string? EchoId { get; init; }
}

public sealed record StartConversationRequest
{
    public Dictionary<string, JsonElement>? CustomAttributes { get; init; }
    public NewMessage? Message { get; init; }
    /// <summary>The campaign whose bubble the visitor answered (issue 27): the conversation opens with its message.</summary>
    public long? CampaignId { get; init; }
}

public sealed record SendMessageRequest
{
    public long ConversationId { get; init; }
    public string? Content { get; init; }
    public string? EchoId { get; init; }
    public string? ContentType { get; init; }
    public JsonElement? ContentAttributes { get; init; }
    public bool? Private { get; init; }
    /// <summary>The caller's own pending uploads (POST .../uploads), each sent once (at most 5).</summary>
    public IReadOnlyList<long>? AttachmentIds { get; init; }
}

public sealed record ListConversationsRequest
{
    /// <summary>open, pending, resolved or all (default: all for contacts, open for agents).</summary>
    public string? Status { get; init; }
    public long? InboxId { get; init; }
    /// <summary>me, unassigned or all (agents only; default all).</summary>
    public string? Assignee { get; init; }
    public int? Page { get; init; }
    /// <summary>Only the conversations assigned to this agent (agents only).</summary>
    public long? AssigneeId { get; init; }
    /// <summary>Only the conversations assigned to this team (agents only; Chatwoot's team_id).</summary>
    public long? TeamId { get; init; }
    /// <summary>Only the conversations that carry any of these label titles, in any case (agents only; the console's
    /// label filter, as the application API's <c>labels[]</c>).</summary>
    public IReadOnlyList<string?>? Labels { get; init; }
}

public sealed record GetMessagesRequest
{
    public long ConversationId { get; init; }
    /// <summary>Only messages with an id lower than this (older history).</summary>
    public long? Before { get; init; }
    /// <summary>Only changes after this seq, in seq order (resync).</summary>
    public long? AfterSeq { get; init; }
    public int? Limit { get; init; }
}

public sealed record GetMessagesResult
{
    public ConversationDto Conversation { get; init; } = new();
    public IReadOnlyList<MessageDto> Messages { get; init; } = [];
    public bool HasMore { get; init; }
}

public sealed record UpdateContactRequest
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? PhoneNumber { get; init; }
    public Dictionary<string, JsonElement>? CustomAttributes { get; init; }
}
