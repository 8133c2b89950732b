using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Realtime;
using ChatHub.Server.Storage;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Contacts;

/// <summary>Contacts of the public client API, with Chatwoot's HMAC identity validation: a valid
/// identifier_hash proves who the customer is; without one, nobody is handed another person's contact.</summary>
public sealed class ContactService(IChatStore store, EventPublisher publisher, RateLimits rateLimits, IOptions<ChatLimits> limits)
{
    private readonly ContactFieldsValidator _validator = new(limits.Value);

    public InboxRow FindInbox(string inboxIdentifier) =>
        (inboxIdentifier.Length <= 64 ? store.Read(r => r.FindInboxByIdentifier(inboxIdentifier)) : null)
        ?? throw ChatException.NotFound("inbox");

    /// <param name="clientAddress">Nobody is authenticated yet, so creations are limited per client address.</param>
    public async Task<ContactDto> CreateAsync(string inboxIdentifier, ContactFields fields, string clientAddress)
    {
        _validator.ValidateOrThrow(fields);
        var inbox = FindInbox(inboxIdentifier);
        rateLimits.Check(RateLimitedAction.ContactCreation, clientAddress);
        var verified = Tokens.IsValidIdentifierHash(inbox.HmacToken, fields.Identifier, fields.IdentifierHash);
        if (inbox.HmacMandatory && !verified) throw ChatException.Unauthorized("a valid identifier_hash is required by this inbox");

        var contact = await store.WriteAsync(w =>
        {
            // Same person on a new device: a proven identifier gets its existing contact back.
            if (verified && w.FindVerifiedContactByIdentifier(inbox.Id, fields.Identifier!) is { } existing)
            {
                Apply(existing, fields, verified);
                w.UpdateContact(existing);
                return existing;
            }
            var token = Tokens.NewSecret();
            var c = new ContactRow
            {
                InboxId = inbox.Id,
                SourceId = Guid.NewGuid().ToString(),
                PubsubToken = token,
                PubsubTokenHash = Tokens.LookupHash(token),
                CreatedAt = Clock.NowMs(),
            };
            Apply(c, fields, verified);
            c.Id = w.InsertContact(c);
            return c;
        });
        return ContactMapper.ToDto(contact);
    }

    public ContactDto Get(string inboxIdentifier, string sourceId) => ContactMapper.ToDto(FindContact(inboxIdentifier, sourceId).Contact);

    /// <summary>Resolves the customer of a client API request: the inbox identifier and source_id are its credentials.</summary>
    public (InboxRow Inbox, ContactRow Contact) FindContact(string inboxIdentifier, string sourceId)
    {
        var inbox = FindInbox(inboxIdentifier);
        var contact = (sourceId.Length <= 64 ? store.Read(r => r.FindContactBySourceId(inbox.Id, sourceId)) : null)
            ?? throw ChatException.NotFound("contact");
        if (inbox.HmacMandatory && !contact.HmacVerified) throw ChatException.Unauthorized("this inbox requires a verified contact");
        return (inbox, contact);
    }

    public Caller CallerFor(string inboxIdentifier, string sourceId) => Caller.ForContact(FindContact(inboxIdentifier, sourceId).Contact);

    public async Task<ContactDto> UpdateAsync(string inboxIdentifier, string sourceId, ContactFields fields)
    {
        _validator.ValidateOrThrow(fields);
        var (inbox, contact) = FindContact(inboxIdentifier, sourceId);
        rateLimits.Check(RateLimitedAction.ContactUpdate, Caller.ForContact(contact).Key);
        var verified = contact.HmacVerified;
        if (fields.Identifier is not null && fields.Identifier != contact.Identifier)
        {
            verified = Tokens.IsValidIdentifierHash(inbox.HmacToken, fields.Identifier, fields.IdentifierHash);
            if (inbox.HmacMandatory && !verified) throw ChatException.Unauthorized("a valid identifier_hash is required by this inbox");
        }
        return await SaveAsync(contact.Id, fields, verified);
    }

    /// <summary>The hub's UpdateContact: a connected contact edits its own name, email, phone and attributes.</summary>
    public Task<ContactDto> UpdateSelfAsync(Caller caller, UpdateContactRequest? request)
    {
        if (!caller.IsContact) throw ChatException.Forbidden("only contacts update their contact");
        if (request is null) throw ChatException.Invalid("request", "request must not be null");
        var fields = new ContactFields(null, null, request.Name, request.Email, request.PhoneNumber, request.CustomAttributes);
        _validator.ValidateOrThrow(fields);
        rateLimits.Check(RateLimitedAction.ContactUpdate, caller.Key);
        return SaveAsync(caller.Id, fields, verified: null);
    }

    private async Task<ContactDto> SaveAsync(long contactId, ContactFields fields, bool? verified)
    {
        var contact = await store.WriteAsync(w =>
        {
            var c = w.GetContact(contactId) ?? throw ChatException.NotFound("contact");
            Apply(c, fields, verified ?? c.HmacVerified);
            w.UpdateContact(c);
            var (forOwner, forAgents) = (ContactMapper.ToDto(c), ContactMapper.ToAgentDto(c));
            w.AfterCommit(() => publisher.Publish(new Audience(c.PubsubToken, c.InboxId),
                x => x.ContactUpdated(forOwner), x => x.ContactUpdated(forAgents)));
            return c;
        });
        return ContactMapper.ToDto(contact);
    }

    private void Apply(ContactRow c, ContactFields f, bool verified)
    {
        c.Identifier = f.Identifier ?? c.Identifier;
        c.Name = f.Name ?? c.Name;
        c.Email = f.Email ?? c.Email;
        c.PhoneNumber = f.PhoneNumber ?? c.PhoneNumber;
        c.CustomAttributes = f.CustomAttributes is null ? c.CustomAttributes : JsonText.From(Merge(c.CustomAttributes, f.CustomAttributes));
        if (c.CustomAttributes?.Length > limits.Value.MaxAttributesBytes)
            throw ChatException.Invalid("custom_attributes", $"custom_attributes must be at most {limits.Value.MaxAttributesBytes} bytes in all");
        c.HmacVerified = verified;
    }

    /// <summary>custom_attributes merge key by key, as in Chatwoot.</summary>
    private static Dictionary<string, System.Text.Json.JsonElement> Merge(string? stored, Dictionary<string, System.Text.Json.JsonElement> update)
    {
        var merged = JsonText.ToDictionary(stored) ?? [];
        foreach (var (key, value) in update) merged[key] = value;
        return merged;
    }
}
