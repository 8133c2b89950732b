using System.Text.Json;
using ChatHub.Server.Common;
using FluentValidation;

namespace ChatHub.Server.Features.Contacts;

/// <summary>Create or update a contact (POST/PATCH /contacts, and the hub's UpdateContact without identity fields).</summary>
public sealed record ContactFields(
    string? Identifier, string? IdentifierHash, string? Name, string? Email, string? PhoneNumber,
    Dictionary<string, JsonElement>? CustomAttributes);

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
