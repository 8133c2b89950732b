using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.ContactNotes;

/// <summary>An agent who sees a contact rewrites one of its notes (Chatwoot's <c>notes#update</c>; any such agent may,
/// as in Chatwoot; the author stays). Without content, nothing changes.</summary>
public sealed record UpdateContactNote(long ContactId, long NoteId, string? Content) : ICommand<ContactNoteDto>, IContactCommand
{
    long? IContactCommand.ContactId => ContactId;
}

public sealed class UpdateContactNoteValidator : AbstractValidator<UpdateContactNote>
{
    public UpdateContactNoteValidator() => RuleFor(c => c.Content).Content().OverridePropertyName("content");
}

public sealed class UpdateContactNoteHandler : ICommandHandler<UpdateContactNote, ContactNoteDto>
{
    public void Authorize(Caller caller, UpdateContactNote command) => ContactNoteRules.RequireAgent(caller);

    public async ValueTask<ContactNoteDto> HandleAsync(UpdateContactNote command, CommandContext context)
    {
        var note = await ContactNoteRules.ReadAsync(context.Store, context.Caller, command.ContactId, command.NoteId);
        context.Limit(RateLimitedAction.ContactUpdate);
        if (command.Content is { } content)
        {
            note.Content = content;
            note.UpdatedAt = Clock.NowMs();
            await context.Store.UpdateContactNoteAsync(note);
        }
        return ContactNoteMapper.ToDto(note, await context.Store.GetAgentAsync(note.AgentId));
    }
}
