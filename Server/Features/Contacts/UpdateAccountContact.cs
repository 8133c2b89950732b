using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Contacts;

/// <summary>An agent edits a contact it sees (<see cref="ContactAccess"/>): the application API's
/// <c>PUT/PATCH /contacts/{id}</c>; name, email, phone, avatar, identifier, custom_attributes merged key by key. An
/// identifier an agent sets is not proven by the customer, so changing it makes the contact unverified (a verified
/// identifier is what hands a contact back to a new device).</summary>
public sealed record UpdateAccountContact(long ContactId, ContactFields Fields) : ICommand<AccountContact>, IContactCommand
{
    long? IContactCommand.ContactId => ContactId;
}

public sealed class UpdateAccountContactValidator : AbstractValidator<UpdateAccountContact>
{
    public UpdateAccountContactValidator(ChatLimits limits) =>
        RuleFor(c => c.Fields).SetValidator(new ContactFieldsValidator(limits)).OverridePropertyName(string.Empty);
}

public sealed class UpdateAccountContactHandler(IOptions<ChatLimits> limits) : ICommandHandler<UpdateAccountContact, AccountContact>
{
    public void Authorize(Caller caller, UpdateAccountContact command)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    public async ValueTask<AccountContact> HandleAsync(UpdateAccountContact command, CommandContext context)
    {
        var contact = await ContactAccess.ReadAsync(context.Store, context.Caller, command.ContactId);
        context.Limit(RateLimitedAction.ContactUpdate);
        var fields = command.Fields with { SourceId = null, IdentifierHash = null };
        var verified = contact.HmacVerified && (fields.Identifier is null || fields.Identifier == contact.Identifier);
        ContactChanges.Apply(contact, fields, verified, limits.Value);
        await context.Store.UpdateContactAsync(contact);
        context.Raise(new ContactUpdated(contact.Snapshot()));
        return await AccountContact.OfAsync(context.Store, contact);
    }
}
