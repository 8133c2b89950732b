using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>An inbox's pre-chat form (issue 25): how it is validated when an administrator sets it, stored (JSON in
/// <see cref="InboxRow.PreChatFormOptions"/>), and read back. The widget asks its enabled fields before the first
/// message; <see cref="PreChatAnswers"/> checks the answers on the server when the conversation starts.</summary>
public static class PreChatForm
{
    public const int MaxFields = 20;
    public const int MaxMessageLength = 1024;
    public const int MaxLabelLength = 255;
    public const int MaxListValues = 50;

    public static PreChatFormOptionsDto Read(InboxRow inbox) =>
        inbox.PreChatFormOptions is { Length: > 0 } json
            ? JsonSerializer.Deserialize<PreChatFormOptionsDto>(json) ?? PreChatFields.Default
            : PreChatFields.Default;

    public static string Write(PreChatFormOptionsDto options) => JsonSerializer.Serialize(options with
    {
        PreChatMessage = string.IsNullOrEmpty(options.PreChatMessage) ? null : options.PreChatMessage,
    });

    /// <summary>pre_chat_form_options as CreateInbox and UpdateInbox take it: a message of at most 1024 characters, at
    /// most 20 fields with distinct names; a standard field is one of Chatwoot's three, an attribute's key is letters,
    /// digits and _ (at most 64); labels and placeholders at most 255; a list has 1 to 50 values.</summary>
    public static void Options(InlineValidator<PreChatFormOptionsDto> form)
    {
        form.RuleFor(o => o.PreChatMessage).MaximumLength(MaxMessageLength).WellFormed().OverridePropertyName("pre_chat_message");
        form.RuleFor(o => o.PreChatFields).NotNull().Must(f => f is null || f.Count <= MaxFields)
            .WithMessage($"pre_chat_fields has at most {MaxFields} fields").OverridePropertyName("pre_chat_fields");
        form.RuleFor(o => o.PreChatFields).Must(f => f is null || f.Select(x => x.Name).Distinct().Count() == f.Count)
            .WithMessage("pre_chat_fields: each name at most once").OverridePropertyName("pre_chat_fields");
        form.RuleForEach(o => o.PreChatFields).ChildRules(Field).OverridePropertyName("pre_chat_fields");
    }

    private static void Field(InlineValidator<PreChatFieldDto> field)
    {
        field.RuleFor(f => f.FieldType).Must(t => PreChatFields.FieldTypes.Contains(t))
            .WithMessage($"field_type must be one of {string.Join(", ", PreChatFields.FieldTypes)}").OverridePropertyName("field_type");
        field.RuleFor(f => f.Name).Must(n => PreChatFields.StandardNames.Contains(n))
            .When(f => f.FieldType == PreChatFields.Standard)
            .WithMessage($"a standard field's name is one of {string.Join(", ", PreChatFields.StandardNames)}").OverridePropertyName("name");
        field.RuleFor(f => f.Name).Matches("^[A-Za-z0-9_]{1,64}$").When(f => f.FieldType != PreChatFields.Standard)
            .WithMessage("an attribute field's name is 1 to 64 letters, digits or _").OverridePropertyName("name");
        field.RuleFor(f => f.Type).Must(t => PreChatFields.Types.Contains(t))
            .WithMessage($"type must be one of {string.Join(", ", PreChatFields.Types)}").OverridePropertyName("type");
        field.RuleFor(f => f.Label).MaximumLength(MaxLabelLength).WellFormed().OverridePropertyName("label");
        field.RuleFor(f => f.Placeholder).MaximumLength(MaxLabelLength).WellFormed().OverridePropertyName("placeholder");
        field.RuleFor(f => f.Values).Must(v => v is { Count: > 0 and <= MaxListValues } && v.All(x => x.Length is > 0 and <= MaxLabelLength))
            .When(f => f.Type == "list")
            .WithMessage($"a list field has 1 to {MaxListValues} values of at most {MaxLabelLength} characters").OverridePropertyName("values");
    }
}
