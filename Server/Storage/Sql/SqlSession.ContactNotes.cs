namespace ChatHub.Server.Storage.Sql;

/// <summary>Contact notes over SQL (issue 25): a contact's few notes, read through their (contact, created_at) index,
/// newest first.</summary>
internal sealed partial class SqlSession
{
    private static readonly SqlTable<ContactNoteRow> ContactNotes = new("contact_notes");
    private static readonly string ListContactNotes = $"{ContactNotes.Select} WHERE contact_id = @contactId ORDER BY created_at DESC, id DESC";
    private static readonly string GetContactNote = $"{ContactNotes.Select} WHERE id = @id";
    private static readonly string InsertContactNote = ContactNotes.Insert();
    private static readonly string UpdateContactNote = ContactNotes.Update([]);
    private const string DeleteContactNote = "DELETE FROM contact_notes WHERE id = @id";

    public async ValueTask<IReadOnlyList<ContactNoteRow>> ListContactNotesAsync(long contactId) =>
        await Many(ListContactNotes, ContactNotes.Read, ("@contactId", contactId));
    public ValueTask<ContactNoteRow?> GetContactNoteAsync(long id) => One(GetContactNote, ContactNotes.Read, ("@id", id));

    public ValueTask<long> InsertContactNoteAsync(ContactNoteRow note) => Insert(InsertContactNote, ContactNotes.InsertArgs(note));

    public async ValueTask UpdateContactNoteAsync(ContactNoteRow note)
    {
        Writer();
        await Execute(UpdateContactNote, ContactNotes.UpdateArgs(note, []));
    }

    public async ValueTask<bool> DeleteContactNoteAsync(long id)
    {
        Writer();
        return await Execute(DeleteContactNote, ("@id", id)) > 0;
    }
}
