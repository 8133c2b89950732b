using System.Globalization;
using System.Text.Json;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Common;
using ChatHub.Server.Storage;
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

/// <summary>What a contact's message keeps of the content_attributes it was sent with: what the contact side of
/// Chatwoot takes, and nothing else. Chatwoot's widget sends <c>reply_to</c>, stored as <c>in_reply_to</c> and kept only
/// when it names a message of the conversation; its public API permits <c>content</c> and <c>echo_id</c> only. Every
/// other key (submitted_values, items, anything) is dropped, as Chatwoot's permit lists drop it, not refused: those are
/// the agents' to write, and a contact's answers go through <see cref="SubmitValuesHandler"/>, which checks them.</summary>
public static class ContactContentAttributes
{
    public const string InReplyTo = "in_reply_to";

    /// <summary>The attributes to store (null: none): <c>in_reply_to</c> when it is the id (a number, or digits in a
    /// string, as Rails takes it) of a message of <paramref name="conversationId"/> that the contact sees.</summary>
    public static async ValueTask<string?> KeepAsync(IStoreReader store, long conversationId, JsonElement? sent)
    {
        if (sent is not { ValueKind: JsonValueKind.Object } attributes || !attributes.TryGetProperty(InReplyTo, out var reply)
            || MessageId(reply) is not { } id)
            return null;
        var replied = await store.GetMessageAsync(id);
        if (replied is null || replied.ConversationId != conversationId || !Visibility.ContactSees(replied)) return null;
        return JsonSerializer.Serialize(new Dictionary<string, long> { [InReplyTo] = id });
    }

    private static long? MessageId(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) && n > 0 => n,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => n,
        _ => null,
    };
}
