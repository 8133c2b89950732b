namespace ChatHub.Contracts;

/// <summary>An inbox's pre-chat form (Chatwoot's <c>pre_chat_form_options</c>): the message above it and its fields, which
/// the widget asks before the customer's first message when <c>pre_chat_form_enabled</c>.</summary>
public sealed record PreChatFormOptionsDto
{
    /// <summary>The text above the form (Chatwoot's pre_chat_message); null: the widget's own.</summary>
    public string? PreChatMessage { get; init; }
    public IReadOnlyList<PreChatFieldDto> PreChatFields { get; init; } = [];
}

/// <summary>One field of a pre-chat form, in Chatwoot's shape. The three standard fields are the contact's own
/// (<see cref="PreChatFields.Email"/>, <see cref="PreChatFields.Name"/>, <see cref="PreChatFields.Phone"/>); a
/// contact_attribute is stored in the contact's custom attributes under <see cref="Name"/>, a conversation_attribute in
/// the new conversation's.</summary>
public sealed record PreChatFieldDto
{
    /// <summary>emailAddress, fullName, phoneNumber, or an attribute key (letters, digits, _).</summary>
    public string Name { get; init; } = "";
    /// <summary>standard, contact_attribute or conversation_attribute.</summary>
    public string FieldType { get; init; } = PreChatFields.Standard;
    /// <summary>text, email, number, date, link, checkbox or list (<see cref="PreChatFields.Types"/>).</summary>
    public string Type { get; init; } = "text";
    public string? Label { get; init; }
    public string? Placeholder { get; init; }
    public bool Required { get; init; }
    public bool Enabled { get; init; }
    /// <summary>A list's choices.</summary>
    public IReadOnlyList<string>? Values { get; init; }
}

/// <summary>The words of a pre-chat form (Chatwoot's).</summary>
public static class PreChatFields
{
    public const string Standard = "standard";
    public const string ContactAttribute = "contact_attribute";
    public const string ConversationAttribute = "conversation_attribute";
    public static readonly IReadOnlyList<string> FieldTypes = [Standard, ContactAttribute, ConversationAttribute];
    public static readonly IReadOnlyList<string> Types = ["text", "email", "number", "date", "link", "checkbox", "list"];

    public const string Email = "emailAddress";
    public const string Name = "fullName";
    public const string Phone = "phoneNumber";
    public static readonly IReadOnlyList<string> StandardNames = [Email, Name, Phone];

    /// <summary>A new inbox's form, off (Chatwoot's defaults): email required, name and phone optional, none enabled.</summary>
    public static PreChatFormOptionsDto Default => new()
    {
        PreChatFields =
        [
            new() { Name = Email, FieldType = Standard, Type = "email", Label = "Email Id", Required = true, Enabled = false },
            new() { Name = Name, FieldType = Standard, Type = "text", Label = "Full name", Required = false, Enabled = false },
            new() { Name = Phone, FieldType = Standard, Type = "text", Label = "Phone number", Required = false, Enabled = false },
        ],
    };
}
