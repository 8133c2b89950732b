using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbRows;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Contact notes on LiteDB (issue 25): documents found through their contact's index, sorted here newest
/// first (a contact holds at most Limits:MaxNotesPerContact).</summary>
internal sealed partial class LiteDbSession
{
    private ILiteCollection<BsonDocument> ContactNoteRows => db.GetCollection(ContactNotes);

    private IReadOnlyList<ContactNoteRow> ListContactNotes(long contactId) =>
        ContactNoteRows.Find(LiteDbQueries.Equal(ContactNoteContact, contactId)).Select(ToContactNote)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).ToList();
    private ContactNoteRow? GetContactNote(long id) => ContactNoteRows.FindById(id) is { } d ? ToContactNote(d) : null;

    private long InsertContactNote(ContactNoteRow row) => Insert(ContactNoteRows, WithId(ToDocument(row), Ids.Next(ContactNotes)));

    private void UpdateContactNote(ContactNoteRow row)
    {
        _ = Ids;
        if (GetContactNote(row.Id) is not { } stored) return;
        RowShape<ContactNoteRow>.Instance.CopyChangeable(row, stored);
        Writes.Update(ContactNoteRows, ToDocument(stored));
    }

    private bool DeleteContactNote(long id)
    {
        _ = Ids;
        return Writes.Delete(ContactNoteRows, id);
    }

    public ValueTask<IReadOnlyList<ContactNoteRow>> ListContactNotesAsync(long contactId) => new(ListContactNotes(contactId));
    public ValueTask<ContactNoteRow?> GetContactNoteAsync(long id) => new(GetContactNote(id));
    public ValueTask<long> InsertContactNoteAsync(ContactNoteRow row) => new(InsertContactNote(row));
    public ValueTask UpdateContactNoteAsync(ContactNoteRow row) { UpdateContactNote(row); return default; }
    public ValueTask<bool> DeleteContactNoteAsync(long id) => new(DeleteContactNote(id));
}
