using System.Text.Json;
using ChatHub.Server.Common;
using FluentValidation;

namespace ChatHub.Server.Features.Contacts;

/// <summary>The fields a contact is created or updated with (POST/PATCH /contacts; the hub's UpdateContact
/// without the identity fields).</summary>
public sealed record ContactFields(
    string? Identifier, string? IdentifierHash, string? Name, string? Email, string? PhoneNumber,
    Dictionary<string, JsonElement>? CustomAttributes)
{
    public static readonly ContactFields None = new(null, null, null, null, null, null);
}

public sealed class ContactFieldsValidator : AbstractValidator<ContactFields>
{
    public ContactFieldsValidator(ChatLimits limits)
    {
        RuleFor(c => c.Identifier).MaximumLength(255).WellFormed().OverridePropertyName("identifier");
        RuleFor(c => c.IdentifierHash).MaximumLength(128).WellFormed().OverridePropertyName("identifier_hash");
        RuleFor(c => c.Name).MaximumLength(255).WellFormed().OverridePropertyName("name");
        RuleFor(c => c.Email).MaximumLength(320).WellFormed().EmailAddress().When(c => !string.IsNullOrEmpty(c.Email)).OverridePropertyName("email");
        RuleFor(c => c.PhoneNumber).MaximumLength(32).Matches(@"^\+?[0-9 ()\-.]{3,32}$")
            .When(c => !string.IsNullOrEmpty(c.PhoneNumber)).WithMessage("phone_number must be a phone number").OverridePropertyName("phone_number");
        RuleFor(c => c.CustomAttributes).AttributesWithin(limits.MaxAttributesBytes).OverridePropertyName("custom_attributes");
    }
}

public static class ContactChanges
{
    public static void Apply(Storage.ContactRow c, ContactFields f, bool verified, ChatLimits limits)
    {
        c.Identifier = f.Identifier ?? c.Identifier;
        c.Name = f.Name ?? c.Name;
        c.Email = f.Email ?? c.Email;
        c.PhoneNumber = f.PhoneNumber ?? c.PhoneNumber;
        c.CustomAttributes = f.CustomAttributes is null ? c.CustomAttributes : JsonText.From(Merge(c.CustomAttributes, f.CustomAttributes));
        if (c.CustomAttributes?.Length > limits.MaxAttributesBytes)
            throw ChatException.Invalid("custom_attributes", $"custom_attributes must be at most {limits.MaxAttributesBytes} bytes in all");
        c.HmacVerified = verified;
    }

    /// <summary>custom_attributes merge key by key, as in Chatwoot.</summary>
    private static Dictionary<string, JsonElement> Merge(string? stored, Dictionary<string, JsonElement> update)
    {
        var merged = JsonText.ToDictionary(stored) ?? [];
        foreach (var (key, value) in update) merged[key] = value;
        return merged;
    }
}
