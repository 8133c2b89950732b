using System.Text.Json;
using ChatHub.Server.Common;
using FluentValidation;

namespace ChatHub.Server.Features.Contacts;

/// <summary>The fields a contact is created or updated with (POST/PATCH /contacts; the hub's UpdateContact
/// without the identity fields).</summary>
/// <param name="SourceId">Creation only: the customer identifier a client chose (Chatwoot's POST /contacts takes it);
/// honoured when it is free in the inbox.</param>
public sealed record ContactFields(
    string? Identifier, string? IdentifierHash, string? Name, string? Email, string? PhoneNumber,
    Dictionary<string, JsonElement>? CustomAttributes, string? SourceId = null, string? AvatarUrl = null)
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
        // A source_id is the contact's key in the client API's paths: path-safe characters only.
        RuleFor(c => c.SourceId).Matches($@"^[A-Za-z0-9._:@\-]{{1,{Validation.MaxSourceIdLength}}}$").When(c => c.SourceId is not null)
            .WithMessage($"source_id must be 1 to {Validation.MaxSourceIdLength} letters, digits or . _ : @ -").OverridePropertyName("source_id");
        RuleFor(c => c.AvatarUrl).MaximumLength(2048).WellFormed()
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            .When(c => !string.IsNullOrEmpty(c.AvatarUrl)).WithMessage("avatar_url must be an http or https URL").OverridePropertyName("avatar_url");
    }
}

public static class ContactChanges
{
    /// <summary>A new contact of an inbox, with a pubsub token of its own (the customer's credential, kept with the hash
    /// it is looked up by): every way a contact is made starts here.</summary>
    public static Storage.ContactRow New(long inboxId, string sourceId)
    {
        var token = Identity.Tokens.NewSecret();
        return new Storage.ContactRow
        {
            InboxId = inboxId,
            SourceId = sourceId,
            PubsubToken = token,
            PubsubTokenHash = Identity.Tokens.LookupHash(token),
            CreatedAt = Clock.NowMs(),
        };
    }

    /// <summary>Stores a new contact (<see cref="New"/>) and raises its ContactCreated.</summary>
    public static async ValueTask<Storage.ContactRow> InsertAsync(Application.Pipeline.CommandContext context, Storage.ContactRow contact)
    {
        contact.Id = await context.Store.InsertContactAsync(contact);
        context.Raise(new Application.Events.ContactCreated(contact.Snapshot()));
        return contact;
    }

    public static void Apply(Storage.ContactRow c, ContactFields f, bool verified, ChatLimits limits)
    {
        c.Identifier = f.Identifier ?? c.Identifier;
        c.Name = string.IsNullOrWhiteSpace(f.Name) ? c.Name : f.Name;
        c.Email = f.Email ?? c.Email;
        c.PhoneNumber = f.PhoneNumber ?? c.PhoneNumber;
        c.AvatarUrl = f.AvatarUrl ?? c.AvatarUrl;
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
