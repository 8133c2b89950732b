using ChatHub.Server.Common;
using FluentValidation;

namespace ChatHub.Server.Features.Conversations;

public static class ContentTypes
{
    public const string Text = "text";
    public const string InputCsat = "input_csat";
    /// <summary>Types an agent may send (Chatwoot's interactive messages); contacts send text only.</summary>
    public static readonly HashSet<string> ForAgents = [Text, "input_email", "input_select", "cards", "form", "article", "input_csat"];
    /// <summary>Messages a contact answers with submitted values.</summary>
    public static readonly HashSet<string> Answerable = ["input_email", "input_select", "form", "input_csat"];
}

/// <summary>Validation rules shared by the conversation use cases.</summary>
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

    public static IRuleBuilderOptions<T, long> ConversationId<T>(this IRuleBuilder<T, long> rule) =>
        rule.GreaterThan(0).WithMessage("conversation_id must be positive").OverridePropertyName("conversation_id");
}
