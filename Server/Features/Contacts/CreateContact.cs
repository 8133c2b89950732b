using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Contacts;

/// <summary>A new customer of an inbox (Chatwoot's POST /contacts), with HMAC identity validation: a valid
/// identifier_hash proves who the customer is and gets that person's contact back on a new device; without one,
/// nobody is handed another person's contact.</summary>
/// <param name="ClientAddress">Nobody is authenticated yet, so creations are limited per client address (its key,
/// <see cref="Common.ClientAddress.KeyOf(System.Net.IPAddress?)"/>: an IPv6 /64 counts as one address).</param>
public sealed record CreateContact(string InboxIdentifier, ContactFields Fields, string ClientAddress) : ICommand<ContactDto>;

public sealed class CreateContactValidator : AbstractValidator<CreateContact>
{
    public CreateContactValidator(ChatLimits limits) => // The fields are reported by their own names (email, not Fields.email), as the client sent them.
        RuleFor(c => c.Fields).SetValidator(new ContactFieldsValidator(limits)).OverridePropertyName(string.Empty);
}

public sealed class CreateContactHandler(RateLimits rateLimits, IOptions<ChatLimits> limits) : ICommandHandler<CreateContact, ContactDto>
{
    public void Authorize(Caller caller, CreateContact command) =>
        rateLimits.Check(RateLimitedAction.ContactCreation, command.ClientAddress);

    public async ValueTask<ContactDto> HandleAsync(CreateContact command, CommandContext context)
    {
        var store = context.Store;
        var fields = command.Fields;
        var inbox = await ContactCredentials.FindInboxAsync(store, command.InboxIdentifier);
        var verified = Tokens.IsValidIdentifierHash(inbox.HmacToken, fields.Identifier, fields.IdentifierHash);
        if (inbox.HmacMandatory && !verified) throw ChatException.Unauthorized("a valid identifier_hash is required by this inbox");

        // Same person on a new device: a proven identifier gets its existing contact back.
        if (verified && await store.FindVerifiedContactByIdentifierAsync(inbox.Id, fields.Identifier!) is { } existing)
        {
            ContactChanges.Apply(existing, fields, verified, limits.Value);
            await store.UpdateContactAsync(existing);
            context.Raise(new ContactUpdated(existing.Snapshot()));
            return ContactMapper.ToDto(existing);
        }
        var contact = ContactChanges.New(inbox.Id, await FreeSourceIdAsync(store, inbox.Id, fields.SourceId));
        ContactChanges.Apply(contact, fields, verified, limits.Value);
        contact.Name ??= ContactNames.Generate();
        return ContactMapper.ToDto(await ContactChanges.InsertAsync(context, contact));
    }

    /// <summary>The client's chosen source_id when no contact of the inbox has it (as Chatwoot), else a new one: a
    /// taken source_id is someone's credential, so it is never handed out again.</summary>
    private static async ValueTask<string> FreeSourceIdAsync(IStoreReader store, long inboxId, string? wanted) =>
        wanted is not null && await store.FindContactBySourceIdAsync(inboxId, wanted) is null ? wanted : Guid.NewGuid().ToString();
}
