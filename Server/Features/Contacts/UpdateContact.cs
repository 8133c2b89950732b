using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Contacts;

/// <summary>A contact edits itself: name, email, phone, attributes (merged key by key), and over REST its
/// identifier, which on an HMAC-mandatory inbox needs a valid hash.</summary>
public sealed record UpdateContact(ContactFields Fields) : ICommand<ContactDto>;

public sealed class UpdateContactValidator : AbstractValidator<UpdateContact>
{
    public UpdateContactValidator(ChatLimits limits) => // The fields are reported by their own names (email, not Fields.email), as the client sent them.
        RuleFor(c => c.Fields).SetValidator(new ContactFieldsValidator(limits)).OverridePropertyName(string.Empty);
}

public sealed class UpdateContactHandler(RateLimits rateLimits, IOptions<ChatLimits> limits) : ICommandHandler<UpdateContact, ContactDto>
{
    public void Authorize(Caller caller, UpdateContact command)
    {
        if (!caller.IsContact) throw ChatException.Forbidden("only contacts update their contact");
        rateLimits.Check(RateLimitedAction.ContactUpdate, caller.Key);
    }

    public async ValueTask<ContactDto> HandleAsync(UpdateContact command, CommandContext context)
    {
        var store = context.Store;
        var fields = command.Fields;
        var contact = await store.GetContactAsync(context.Caller.Id) ?? throw ChatException.NotFound("contact");
        var verified = contact.HmacVerified;
        if (fields.Identifier is not null && fields.Identifier != contact.Identifier)
        {
            var inbox = (await store.GetInboxAsync(contact.InboxId))!;
            verified = Tokens.IsValidIdentifierHash(inbox.HmacToken, fields.Identifier, fields.IdentifierHash);
            if (inbox.HmacMandatory && !verified) throw ChatException.Unauthorized("a valid identifier_hash is required by this inbox");
        }
        ContactChanges.Apply(contact, fields, verified, limits.Value);
        await store.UpdateContactAsync(contact);
        context.Raise(new ContactUpdated(contact.Snapshot()));
        return ContactMapper.ToDto(contact);
    }
}
