using System.Text.Json;
using System.Text.RegularExpressions;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Conversations;

/// <summary>The server's half of the pre-chat form (issue 25): a contact starting a conversation in an inbox whose form
/// is on must have answered its required fields (the widget asks them first, but any client may call
/// StartConversation). Standard fields are the contact's own (name, email, phone_number: their format is
/// ContactFieldsValidator's), a contact_attribute is in the contact's custom attributes, a conversation_attribute in the
/// conversation's. An answered attribute is also checked against its field: at most <see cref="MaxValueLength"/>
/// characters, and an email, number, link or one of a list's values when the field says so.</summary>
public static partial class PreChatAnswers
{
    public const int MaxValueLength = 1024;

    public static void Check(InboxRow inbox, ContactRow contact, Dictionary<string, JsonElement>? conversationAttributes)
    {
        if (!inbox.PreChatFormEnabled) return;
        Dictionary<string, JsonElement>? contactAttributes = null;
        foreach (var field in PreChatForm.Read(inbox).PreChatFields.Where(f => f.Enabled))
        {
            var label = string.IsNullOrWhiteSpace(field.Label) ? field.Name : field.Label;
            if (field.FieldType == PreChatFields.Standard)
            {
                var value = field.Name switch
                {
                    PreChatFields.Email => contact.Email,
                    PreChatFields.Phone => contact.PhoneNumber,
                    _ => ContactNames.IsGenerated(contact.Name) ? null : contact.Name,
                };
                if (field.Required && string.IsNullOrWhiteSpace(value)) throw Missing(field, label);
                continue;
            }
            var attributes = field.FieldType == PreChatFields.ContactAttribute
                ? contactAttributes ??= JsonText.ToDictionary(contact.CustomAttributes) ?? []
                : conversationAttributes;
            var answer = attributes is not null && attributes.TryGetValue(field.Name, out var v) ? v : (JsonElement?)null;
            if (!IsAnswered(answer))
            {
                if (field.Required) throw Missing(field, label);
                continue;
            }
            if (Problem(field, answer!.Value) is { } problem) throw ChatException.Invalid(field.Name, $"{label}: {problem}");
        }
    }

    private static ChatException Missing(PreChatFieldDto field, string label) =>
        ChatException.Invalid(field.Name, $"{label} is required by this inbox's pre-chat form");

    private static bool IsAnswered(JsonElement? value) => value is { } v && v.ValueKind switch
    {
        JsonValueKind.String => !string.IsNullOrWhiteSpace(v.GetString()),
        JsonValueKind.True or JsonValueKind.Number => true,
        _ => false, // null, false (an unticked checkbox), objects and arrays do not answer a field
    };

    /// <summary>What is wrong with an answer (null: nothing).</summary>
    private static string? Problem(PreChatFieldDto field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return field.Type is "checkbox" or "number" ? null : "must be text";
        var text = value.GetString()!;
        if (text.Length > MaxValueLength) return $"at most {MaxValueLength} characters";
        return field.Type switch
        {
            "email" when !Email().IsMatch(text) => "must be an email address",
            "number" when !double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) => "must be a number",
            "link" when !(Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)) => "must be an http or https link",
            "list" when field.Values is { } values && !values.Contains(text) => "must be one of the list's values",
            _ => null,
        };
    }

    [GeneratedRegex(@"^[^\s@]+@[^\s@]+\.[^\s@]+$")]
    private static partial Regex Email();
}
