using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.ContactNotes;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.ContactNotes;

/// <summary>Contact notes' rules, in-process (on every store, as every use-case test): agents who see the contact write
/// and read them, contacts never; a note raises no event (nothing can carry it to a customer); a contact holds at most
/// Limits:MaxNotesPerContact; every write takes one unit of the writer's contact-update budget.</summary>
public sealed class ContactNoteTests
{
    [Fact]
    public async Task Contacts_never_read_or_write_notes_even_their_own()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var note = await host.Send(host.Admin, new CreateContactNote(ann.Id, "Internal: asked for a refund twice"));

        await Refusal.Forbidden(() => host.Ask(ann, new ListContactNotes(ann.Id)));
        await Refusal.Forbidden(() => host.Ask(ann, new ShowContactNote(ann.Id, note.Id)));
        await Refusal.Forbidden(() => host.Send(ann, new CreateContactNote(ann.Id, "mine")));
        await Refusal.Forbidden(() => host.Send(ann, new UpdateContactNote(ann.Id, note.Id, "changed")));
        await Refusal.Forbidden(() => host.Send(ann, new DeleteContactNote(ann.Id, note.Id)));
        Assert.Equal([note], await host.Ask(host.Admin, new ListContactNotes(ann.Id)));
    }

    [Fact]
    public async Task A_note_raises_no_event_while_a_contact_edit_does()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var before = host.Events.Count;

        var note = await host.Send(host.Admin, new CreateContactNote(ann.Id, "VIP"));
        await host.Send(host.Admin, new UpdateContactNote(ann.Id, note.Id, "VIP since 2024"));
        await host.Send(host.Admin, new DeleteContactNote(ann.Id, note.Id));
        // The barrier: an edit of the same contact is published, so the notes' writes would have been too.
        await host.Send(host.Admin, new UpdateAccountContact(ann.Id, ContactFields.None with { Name = "Ann B" }));

        var raised = host.Events.Skip(before).ToList();
        Assert.IsType<ContactUpdated>(Assert.Single(raised));
        Assert.DoesNotContain(raised, e => e.ToString()!.Contains("VIP"));
    }

    [Fact]
    public async Task A_contact_holds_at_most_its_limit_of_notes()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxNotesPerContact"] = "2" });
        var ann = await host.ContactAsync();
        var bob = await host.ContactAsync("Bob");
        await host.Send(host.Admin, new CreateContactNote(ann.Id, "one"));
        var two = await host.Send(host.Admin, new CreateContactNote(ann.Id, "two"));

        await Refusal.Invalid("content", () => host.Send(host.Admin, new CreateContactNote(ann.Id, "three")));
        await host.Send(host.Admin, new CreateContactNote(bob.Id, "another contact's own")); // the limit is per contact
        await host.Send(host.Admin, new DeleteContactNote(ann.Id, two.Id));
        await host.Send(host.Admin, new CreateContactNote(ann.Id, "three"));
        Assert.Equal(["three", "one"], (await host.Ask(host.Admin, new ListContactNotes(ann.Id))).Select(n => n.Content));
    }

    [Fact]
    public async Task Note_writes_take_the_writers_contact_update_budget()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?>
        {
            [ChatServer.RateLimitsOn.Key] = "true", ["Limits:ContactUpdatesPerMinute"] = "3",
        });
        var ann = await host.ContactAsync();
        var grace = await host.AgentAsync();
        var note = await host.Send(grace, new CreateContactNote(ann.Id, "one"));
        await host.Send(grace, new UpdateContactNote(ann.Id, note.Id, "one, changed"));
        await host.Send(grace, new CreateContactNote(ann.Id, "two"));

        var limited = await Refusal.Of(ErrorCodes.RateLimited, () => host.Send(grace, new CreateContactNote(ann.Id, "three")));
        Assert.Contains("contact updates", limited.Detail);
        await Refusal.Of(ErrorCodes.RateLimited, () => host.Send(grace, new DeleteContactNote(ann.Id, note.Id)));
        await host.Ask(grace, new ListContactNotes(ann.Id)); // reads are not counted
        await host.Send(host.Admin, new CreateContactNote(ann.Id, "the administrator's own budget"));
        Assert.Equal(3, (await host.Ask(grace, new ListContactNotes(ann.Id))).Count);
    }
}
