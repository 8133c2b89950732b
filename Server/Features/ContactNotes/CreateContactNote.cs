using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.ContactNotes;

/// <summary>An agent who sees a contact writes a note on it (Chatwoot's <c>notes#create</c>), as its author; at most
/// Limits:MaxNotesPerContact notes per contact. Nothing is pushed: a note stays with the agents who ask for it.</summary>
public sealed record CreateContactNote(long ContactId, string? Content) : ICommand<ContactNoteDto>, IContactCommand
{
    long? IContactCommand.ContactId => ContactId;
}

public sealed class CreateContactNoteValidator : AbstractValidator<CreateContactNote>
{
    public CreateContactNoteValidator() =>
        RuleFor(c => c.Content).NotNull().WithMessage("content is required").Content().OverridePropertyName("content");
}

public sealed class CreateContactNoteHandler(IOptions<ChatLimits> limits) : ICommandHandler<CreateContactNote, ContactNoteDto>
{
    public void Authorize(Caller caller, CreateContactNote command) => ContactNoteRules.RequireAgent(caller);

    public async ValueTask<ContactNoteDto> HandleAsync(CreateContactNote command, CommandContext context)
    {
        var contact = await ContactAccess.ReadAsync(context.Store, context.Caller, command.ContactId);
        context.Limit(RateLimitedAction.ContactUpdate);
        var max = limits.Value.MaxNotesPerContact;
        if ((await context.Store.ListContactNotesAsync(contact.Id)).Count >= max)
            throw ChatException.Invalid("content", $"a contact has at most {max} notes");
        var now = Clock.NowMs();
        var note = new ContactNoteRow { ContactId = contact.Id, AgentId = context.Caller.Id, Content = command.Content!, CreatedAt = now, UpdatedAt = now };
        note.Id = await context.Store.InsertContactNoteAsync(note);
        return ContactNoteMapper.ToDto(note, await context.Store.GetAgentAsync(note.AgentId));
    }
}
