using System.Text.Json;
using System.Text.Json.Serialization;
using ChatHub.Contracts;

namespace ChatHub.Server.Chatwoot;

/// <summary>A contact as <c>Contact#push_event_data</c> (app/models/contact.rb): a message's sender, a
/// conversation's <c>meta.sender</c>. Never its credentials (source_id, pubsub_token). ChatHub blocks no contact.</summary>
public sealed record ContactPushData(
    Dictionary<string, JsonElement> AdditionalAttributes, Dictionary<string, JsonElement> CustomAttributes, string? Email, long Id,
    string? Identifier, string Name, string? PhoneNumber, string Thumbnail, bool Blocked, string Type);

/// <summary>A contact as <c>Contact#webhook_data</c>: the body of contact_created / contact_updated (with the
/// account) and the sender of a contact's message in a webhook (without it). ChatHub adds <c>type</c>, as the push
/// data has it.</summary>
public sealed record ContactWebhookData(
    Dictionary<string, JsonElement> AdditionalAttributes, string Avatar, Dictionary<string, JsonElement> CustomAttributes,
    string? Email, long Id, string? Identifier, string Name, string? PhoneNumber, string Thumbnail, bool Blocked, string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    ChatwootAccount.Data? Account = null);

/// <summary>The contact record itself (Rails' <c>Contact#as_json</c>), which the client API's conversation renders
/// as its <c>contact</c> (app/views/public/api/v1/models/_conversation.json.jbuilder: <c>json.contact
/// resource.contact</c>). Chatwoot's record has no credential since they moved to contact_inbox; ChatHub shows none.
/// ChatHub keeps no contact update time: updated_at is the creation time; last_activity_at is not kept (null).</summary>
public sealed record ContactRecord(
    long Id, string Name, string? Email, string? PhoneNumber, long AccountId, string CreatedAt, string UpdatedAt,
    Dictionary<string, JsonElement> AdditionalAttributes, string? Identifier, Dictionary<string, JsonElement> CustomAttributes,
    string? LastActivityAt, bool Blocked, string Thumbnail);

public static class ChatwootContact
{
    public const string Type = "contact";

    private static readonly Dictionary<string, JsonElement> None = [];

    public static ContactPushData PushData(ContactDto c) => new(None, c.CustomAttributes ?? None, c.Email, c.Id, c.Identifier,
        c.Name ?? "", c.PhoneNumber, c.AvatarUrl ?? "", false, Type);

    /// <param name="sender">A contact as a message's sender (the public facts the use case gave it).</param>
    public static ContactPushData PushData(SenderDto sender) => new(None, sender.CustomAttributes ?? None, sender.Email, sender.Id,
        sender.Identifier, sender.Name ?? "", sender.PhoneNumber, sender.AvatarUrl ?? "", false, Type);

    public static ContactWebhookData WebhookData(ContactDto c, bool withAccount) => new(None, c.AvatarUrl ?? "", c.CustomAttributes ?? None,
        c.Email, c.Id, c.Identifier, c.Name ?? "", c.PhoneNumber, c.AvatarUrl ?? "", false, Type, withAccount ? ChatwootAccount.WebhookData : null);

    public static ContactWebhookData WebhookData(SenderDto sender) => new(None, sender.AvatarUrl ?? "", sender.CustomAttributes ?? None,
        sender.Email, sender.Id, sender.Identifier, sender.Name ?? "", sender.PhoneNumber, sender.AvatarUrl ?? "", false, Type);

    public static ContactRecord Record(ContactDto c) => new(c.Id, c.Name ?? "", c.Email, c.PhoneNumber, ChatwootAccount.Id,
        ChatwootJson.Time(c.CreatedAt), ChatwootJson.Time(c.CreatedAt), None, c.Identifier, c.CustomAttributes ?? None, null, false,
        c.AvatarUrl ?? "");
}
