using ChatHub.Server.Application.Pipeline;

namespace ChatHub.Server.Features.ContactNotes;

/// <summary>One note of a contact the agent sees (Chatwoot's <c>notes#show</c>).</summary>
public sealed record ShowContactNote(long ContactId, long NoteId) : IQuery<ContactNoteDto>;

public sealed class ShowContactNoteHandler : IQueryHandler<ShowContactNote, ContactNoteDto>
{
    public void Authorize(Identity.Caller caller, ShowContactNote query) => ContactNoteRules.RequireAgent(caller);

    public async ValueTask<ContactNoteDto> HandleAsync(ShowContactNote query, QueryContext context)
    {
        var note = await ContactNoteRules.ReadAsync(context.Store, context.Caller, query.ContactId, query.NoteId);
        return (await ContactNoteMapper.ToDtosAsync(context.Store, [note]))[0];
    }
}
