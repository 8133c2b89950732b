using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Contact notes (issue 25) on every engine: rows by id, a contact's notes newest first (by creation time,
/// then id) and no other contact's, every field kept by an insert and written by an update unless written once.</summary>
public abstract partial class StoreConformanceTests
{
    private static ContactNoteRow NewContactNote(long contactId, long agentId, long createdAt) =>
        new() { ContactId = contactId, AgentId = agentId, Content = "Prefers e-mail · ünïcode " + createdAt, CreatedAt = createdAt, UpdatedAt = createdAt };

    [Fact]
    public async Task Contact_notes_round_trip_are_listed_newest_first_per_contact_updated_and_deleted()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var otherContact = await store.WriteAsync(w => w.InsertContactAsync(NewContact(scene.InboxId)));
        var oldest = NewContactNote(scene.ContactId, scene.AgentId, T0);
        var newest = NewContactNote(scene.ContactId, scene.AgentId, T0 + 2000);
        var sameTime = NewContactNote(scene.ContactId, scene.AgentId, T0); // ties by time: the later id first
        var elsewhere = NewContactNote(otherContact, scene.AgentId, T0 + 5000);
        foreach (var row in new[] { oldest, newest, sameTime, elsewhere }) row.Id = await store.WriteAsync(w => w.InsertContactNoteAsync(row));
        Assert.Equal(4, new[] { oldest.Id, newest.Id, sameTime.Id, elsewhere.Id }.Distinct().Count());

        AssertSameFields(oldest, await store.ReadAsync(r => r.GetContactNoteAsync(oldest.Id)));
        Assert.Equal([newest.Id, sameTime.Id, oldest.Id], (await store.ReadAsync(r => r.ListContactNotesAsync(scene.ContactId))).Select(n => n.Id));
        Assert.Equal([elsewhere.Id], (await store.ReadAsync(r => r.ListContactNotesAsync(otherContact))).Select(n => n.Id));
        Assert.Empty(await store.ReadAsync(r => r.ListContactNotesAsync(otherContact + 1000)));

        var changed = Filled(Copy(oldest), 7);
        await store.WriteAsync(async w => { await w.UpdateContactNoteAsync(changed); return 0; });
        AssertSameFields(Updated(oldest, changed), await store.ReadAsync(r => r.GetContactNoteAsync(oldest.Id)));

        Assert.True(await store.WriteAsync(w => w.DeleteContactNoteAsync(newest.Id)));
        Assert.False(await store.WriteAsync(w => w.DeleteContactNoteAsync(newest.Id)));
        Assert.Null(await store.ReadAsync(r => r.GetContactNoteAsync(newest.Id)));
        Assert.Equal([sameTime.Id, oldest.Id], (await store.ReadAsync(r => r.ListContactNotesAsync(scene.ContactId))).Select(n => n.Id));
    }
}
