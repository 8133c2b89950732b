using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Contacts;

/// <summary>An agent (or bot) adds a contact to an inbox it works in: the application API's <c>POST /contacts</c>.
/// A ChatHub contact belongs to one inbox, so <c>inbox_id</c> is required (Chatwoot makes the contact inbox only when
/// it is given). An agent's word proves no identity: the contact is unverified, and identifier_hash and source_id are
/// not taken from agents (a source_id is the customer's credential, which agents never see); the contact gets a new
/// one, as a customer's own POST /contacts does.</summary>
public sealed record CreateAccountContact(long? InboxId, ContactFields Fields) : ICommand<AccountContact>;

public sealed class CreateAccountContactValidator : AbstractValidator<CreateAccountContact>
{
    public CreateAccountContactValidator(ChatLimits limits)
    {
        RuleFor(c => c.InboxId).NotNull().WithMessage("inbox_id is required: a contact belongs to an inbox").OverridePropertyName("inbox_id");
        RuleFor(c => c.Fields).SetValidator(new ContactFieldsValidator(limits)).OverridePropertyName(string.Empty);
    }
}

public sealed class CreateAccountContactHandler(IOptions<ChatLimits> limits) : ICommandHandler<CreateAccountContact, AccountContact>
{
    public void Authorize(Caller caller, CreateAccountContact command)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
    }

    public async ValueTask<AccountContact> HandleAsync(CreateAccountContact command, CommandContext context)
    {
        var store = context.Store;
        var inbox = await ContactAccess.InboxAsync(store, context.Caller, command.InboxId!.Value);
        context.Limit(RateLimitedAction.ContactUpdate);
        var contact = ContactChanges.New(inbox.Id, Guid.NewGuid().ToString());
        ContactChanges.Apply(contact, command.Fields with { SourceId = null, IdentifierHash = null }, verified: false, limits.Value);
        contact.Name ??= ContactNames.Generate();
        await ContactChanges.InsertAsync(context, contact);
        return await AccountContact.OfAsync(context.Store, contact);
    }
}
