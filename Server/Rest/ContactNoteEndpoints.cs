using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Features.ContactNotes;

namespace ChatHub.Server.Rest;

/// <summary>Chatwoot's contact notes on the application API (<c>contacts/notes_controller.rb</c>): the list is a bare
/// array, newest first; a write answers the note; a delete 200 with no body (<c>head :ok</c>).</summary>
public static class ContactNoteEndpoints
{
    public sealed record NoteFields(string? Content);

    /// <summary>Flat, or nested under <c>note</c> as Rails takes it (<c>params[:note].present? ? params.require(:note) : params</c>).</summary>
    public sealed record NoteBody(string? Content, NoteFields? Note)
    {
        public string? FieldContent => Note?.Content ?? Content;
    }

    public static void MapContactNotes(this RouteGroupBuilder account)
    {
        var notes = account.MapGroup("/contacts/{id:long}/notes");
        notes.MapGet("", (long id, HttpContext http, Dispatcher use) =>
            use.AskAsync<ListContactNotes, IReadOnlyList<ContactNoteDto>>(http.Agent(), new ListContactNotes(id)));
        notes.MapPost("", (long id, NoteBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<CreateContactNote, ContactNoteDto>(http.Agent(), new CreateContactNote(id, body?.FieldContent)));
        notes.MapGet("/{note_id:long}", (long id, long note_id, HttpContext http, Dispatcher use) =>
            use.AskAsync<ShowContactNote, ContactNoteDto>(http.Agent(), new ShowContactNote(id, note_id)));
        notes.MapMethods("/{note_id:long}", ["PATCH", "PUT"], (long id, long note_id, NoteBody? body, HttpContext http, Dispatcher use) =>
            use.SendAsync<UpdateContactNote, ContactNoteDto>(http.Agent(), new UpdateContactNote(id, note_id, body?.FieldContent)));
        notes.MapDelete("/{note_id:long}", async (long id, long note_id, HttpContext http, Dispatcher use) =>
        {
            await use.SendAsync<DeleteContactNote, Done>(http.Agent(), new DeleteContactNote(id, note_id));
            return Results.Ok();
        });
    }
}
