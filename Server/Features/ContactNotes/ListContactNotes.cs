using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Features.Contacts;

namespace ChatHub.Server.Features.ContactNotes;

/// <summary>A contact's notes, newest first, for an agent who sees the contact (Chatwoot's <c>notes#index</c>: every
/// note, a bare array; a contact holds at most Limits:MaxNotesPerContact).</summary>
public sealed record ListContactNotes(long ContactId) : IQuery<IReadOnlyList<ContactNoteDto>>;

public sealed class ListContactNotesHandler : IQueryHandler<ListContactNotes, IReadOnlyList<ContactNoteDto>>
{
    public void Authorize(Identity.Caller caller, ListContactNotes query) => ContactNoteRules.RequireAgent(caller);

    public async ValueTask<IReadOnlyList<ContactNoteDto>> HandleAsync(ListContactNotes query, QueryContext context)
    {
        var contact = await ContactAccess.ReadAsync(context.Store, context.Caller, query.ContactId);
        return await ContactNoteMapper.ToDtosAsync(context.Store, await context.Store.ListContactNotesAsync(contact.Id));
    }
}
