using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

// The conversation commands and queries, whichever transport they came over, with their validators.

public sealed record StartConversationCommand(Dictionary<string, JsonElement>? CustomAttributes, NewMessage? Message);
public sealed record SendMessageCommand(
    long ConversationId, string? Content, string? EchoId, string? ContentType, JsonElement? ContentAttributes, bool Private);
public sealed record ListConversationsQuery(string? Status, long? InboxId, string? Assignee, int? Page);
public sealed record GetMessagesQuery(long ConversationId, long? Before, long? AfterSeq, int? Limit);
/// <summary>A null status toggles between open and resolved, as Chatwoot's toggle_status does.</summary>
public sealed record SetStatusCommand(long ConversationId, string? Status);
public sealed record AssignCommand(long ConversationId, long? AgentId);
public sealed record SubmitValuesCommand(long MessageId, JsonElement? SubmittedValues);
public sealed record SetTypingCommand(long ConversationId, bool IsTyping);

public static class ContentTypes
{
    public const string Text = "text";
    /// <summary>Types an agent may send (Chatwoot's interactive messages); contacts send text only.</summary>
    public static readonly HashSet<string> ForAgents = [Text, "input_email", "input_select", "cards", "form", "article", "input_csat"];
    /// <summary>Messages a contact answers with submitted values.</summary>
    public static readonly HashSet<string> Answerable = ["input_email", "input_select", "form", "input_csat"];
}

public static class ConversationRules
{
    public const int MaxEchoIdLength = 64;

    public static IRuleBuilderOptions<T, string?> MessageContent<T>(this IRuleBuilder<T, string?> rule, ChatLimits limits) =>
        rule.Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage("content must not be empty")
            .Must(c => c is null || c.Length <= limits.MaxContentLength)
            .WithMessage($"content must be at most {limits.MaxContentLength} characters")
            .WellFormed();

    public static IRuleBuilderOptions<T, string?> EchoId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(e => e is null || e.Length is > 0 and <= MaxEchoIdLength)
            .WithMessage($"echo_id must be 1..{MaxEchoIdLength} characters")
            .WellFormed();
}

public sealed class StartConversationValidator : AbstractValidator<StartConversationCommand>
{
    public StartConversationValidator(ChatLimits limits)
    {
        RuleFor(c => c.CustomAttributes).AttributesWithin(limits.MaxAttributesBytes).OverridePropertyName("custom_attributes");
        When(c => c.Message is not null, () =>
        {
            RuleFor(c => c.Message!.Content).MessageContent(limits).OverridePropertyName("content");
            RuleFor(c => c.Message!.EchoId).EchoId().OverridePropertyName("echo_id");
        });
    }
}

public sealed class SendMessageValidator : AbstractValidator<SendMessageCommand>
{
    public SendMessageValidator(ChatLimits limits)
    {
        RuleFor(c => c.ConversationId).GreaterThan(0).WithMessage("conversation_id must be positive").OverridePropertyName("conversation_id");
        RuleFor(c => c.Content).MessageContent(limits).OverridePropertyName("content");
        RuleFor(c => c.EchoId).EchoId().OverridePropertyName("echo_id");
        RuleFor(c => c.ContentType).Must(t => t is null || ContentTypes.ForAgents.Contains(t))
            .WithMessage($"content_type must be one of {string.Join(", ", ContentTypes.ForAgents)}").OverridePropertyName("content_type");
        RuleFor(c => c.ContentAttributes).JsonObjectWithin(limits.MaxAttributesBytes).OverridePropertyName("content_attributes");
    }
}

public sealed class ListConversationsValidator : AbstractValidator<ListConversationsQuery>
{
    public static readonly string[] Statuses = [.. ConversationStatuses.All, "all"];
    public static readonly string[] Assignees = ["me", "unassigned", "all"];

    public ListConversationsValidator()
    {
        RuleFor(q => q.Status).Must(s => s is null || Statuses.Contains(s))
            .WithMessage("status must be open, pending, resolved or all").OverridePropertyName("status");
        RuleFor(q => q.Assignee).Must(a => a is null || Assignees.Contains(a))
            .WithMessage("assignee must be me, unassigned or all").OverridePropertyName("assignee");
        RuleFor(q => q.Page).Must(p => p is null or >= 1 and <= 100_000).WithMessage("page must be 1 or more").OverridePropertyName("page");
    }
}

public sealed class GetMessagesValidator : AbstractValidator<GetMessagesQuery>
{
    public GetMessagesValidator(ChatLimits limits)
    {
        RuleFor(q => q.ConversationId).GreaterThan(0).WithMessage("conversation_id must be positive").OverridePropertyName("conversation_id");
        RuleFor(q => q.Before).Must(b => b is null or > 0).WithMessage("before must be a message id").OverridePropertyName("before");
        RuleFor(q => q.AfterSeq).Must(s => s is null or >= 0).WithMessage("after_seq must be 0 or more").OverridePropertyName("after_seq");
        RuleFor(q => q.Limit).Must(l => l is null || (l >= 1 && l <= limits.MaxPageSize))
            .WithMessage($"limit must be 1..{limits.MaxPageSize}").OverridePropertyName("limit");
    }
}

public sealed class SetStatusValidator : AbstractValidator<SetStatusCommand>
{
    public SetStatusValidator()
    {
        RuleFor(c => c.Status).Must(s => s is null || ConversationStatuses.All.Contains(s))
            .WithMessage("status must be open, pending or resolved").OverridePropertyName("status");
    }
}

public sealed class SubmitValuesValidator : AbstractValidator<SubmitValuesCommand>
{
    public SubmitValuesValidator(ChatLimits limits)
    {
        RuleFor(c => c.MessageId).GreaterThan(0).WithMessage("message_id must be positive").OverridePropertyName("message_id");
        RuleFor(c => c.SubmittedValues)
            .Must(v => v is { ValueKind: JsonValueKind.Object or JsonValueKind.Array })
            .WithMessage("submitted_values must be a JSON object or array")
            .Must(v => JsonText.Size(v) <= limits.MaxAttributesBytes)
            .WithMessage($"submitted_values must be at most {limits.MaxAttributesBytes} bytes")
            .Must(v => JsonText.Depth(v) <= Validation.MaxAttributesDepth)
            .WithMessage($"submitted_values must nest at most {Validation.MaxAttributesDepth} levels")
            .Must(WellFormedText.IsWellFormed)
            .WithMessage("submitted_values must be well-formed Unicode text (no lone surrogate, no NUL character)")
            .OverridePropertyName("submitted_values");
    }
}
