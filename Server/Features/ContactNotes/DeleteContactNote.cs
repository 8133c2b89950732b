using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.ContactNotes;

/// <summary>An agent who sees a contact removes one of its notes (Chatwoot's <c>notes#destroy</c>).</summary>
public sealed record DeleteContactNote(long ContactId, long NoteId) : ICommand<Done>, IContactCommand
{
    long? IContactCommand.ContactId => ContactId;
}

public sealed class DeleteContactNoteHandler : ICommandHandler<DeleteContactNote, Done>
{
    public void Authorize(Caller caller, DeleteContactNote command) => ContactNoteRules.RequireAgent(caller);

    public async ValueTask<Done> HandleAsync(DeleteContactNote command, CommandContext context)
    {
        var note = await ContactNoteRules.ReadAsync(context.Store, context.Caller, command.ContactId, command.NoteId);
        context.Limit(RateLimitedAction.ContactUpdate);
        return await context.Store.DeleteContactNoteAsync(note.Id) ? default : throw ChatException.NotFound("note");
    }
}
