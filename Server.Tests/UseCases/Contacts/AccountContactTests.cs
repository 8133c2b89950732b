using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Contacts;

/// <summary>The application API's contacts, in-process: an agent sees the contacts of the inboxes it is a member of,
/// an administrator every contact (ContactAccess); lists are newest first, 15 a page, searches need q and are bounded;
/// agents create contacts in an inbox of theirs (unverified, never with a source_id of their choosing) and edit them;
/// a contact's conversations are those the agent could open. Agents never see a contact's credentials.</summary>
public sealed class AccountContactTests
{
    private static ContactFields Named(string name) => ContactFields.None with { Name = name };

    [Fact]
    public async Task An_agent_lists_and_searches_the_contacts_of_its_inboxes_and_an_administrator_every_contact()
    {
        await using var host = await UseCaseHost.StartAsync();
        var sales = await host.InboxAsync("Sales");
        var grace = await host.AgentAsync("Grace"); // a member of inbox 1 only
        var ann = await host.NewContactAsync("Ann Example", ContactFields.None with { Name = "Ann Example", Email = "ann@example.com" });
        var bob = await host.NewContactAsync("Bob", inboxIdentifier: sales.Identifier);

        var hers = await host.Ask(grace, new ListContacts(null));
        Assert.Equal([ann.Id], hers.Contacts.Select(c => c.Contact.Id));
        Assert.Equal(1, hers.Total);
        Assert.All(hers.Contacts, c => Assert.Equal(("", ""), (c.Contact.SourceId, c.Contact.PubsubToken)));
        Assert.Equal([bob.Id, ann.Id], (await host.Ask(host.Admin, new ListContacts(null))).Contacts.Select(c => c.Contact.Id));

        Assert.Equal([ann.Id], (await host.Ask(grace, new SearchContacts("EXAMPLE.com", null))).Contacts.Select(c => c.Contact.Id));
        Assert.Empty((await host.Ask(grace, new SearchContacts("Bob", null))).Contacts);
        Assert.Equal([bob.Id], (await host.Ask(host.Admin, new SearchContacts(bob.Id.ToString(), null))).Contacts.Select(c => c.Contact.Id));
    }

    [Fact]
    public async Task Lists_come_15_a_page_newest_first_with_the_total()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ids = new List<long>();
        for (var i = 0; i < 17; i++) ids.Add((await host.NewContactAsync($"Lead {i}")).Id);
        ids.Reverse();

        var first = await host.Ask(host.Admin, new ListContacts(null));
        var second = await host.Ask(host.Admin, new ListContacts(2));
        Assert.Equal(ids.Take(15), first.Contacts.Select(c => c.Contact.Id));
        Assert.Equal(ids.Skip(15), second.Contacts.Select(c => c.Contact.Id));
        Assert.Equal((17, 17, 2), (first.Total, second.Total, second.Page));
        Assert.Equal(ids.Skip(15), (await host.Ask(host.Admin, new SearchContacts("lead", 2))).Contacts.Select(c => c.Contact.Id));
    }

    [Fact]
    public async Task A_search_needs_q_within_bounds_and_pages_must_be_positive()
    {
        await using var host = await UseCaseHost.StartAsync();

        await Refusal.Invalid("q", () => host.Ask(host.Admin, new SearchContacts(null, null)));
        await Refusal.Invalid("q", () => host.Ask(host.Admin, new SearchContacts("  ", null)));
        await Refusal.Invalid("q", () => host.Ask(host.Admin, new SearchContacts(new string('x', 101), null)));
        await Refusal.Invalid("page", () => host.Ask(host.Admin, new SearchContacts("x", 0)));
        await Refusal.Invalid("page", () => host.Ask(host.Admin, new ListContacts(-1)));
        var contact = await host.ContactAsync();
        await Refusal.Forbidden(() => host.Ask(contact, new ListContacts(null)));
    }

    [Fact]
    public async Task A_contact_outside_the_agents_inboxes_is_not_found_for_show_update_and_conversations()
    {
        await using var host = await UseCaseHost.StartAsync();
        var sales = await host.InboxAsync("Sales");
        var grace = await host.AgentAsync("Grace");
        var outside = await host.NewContactAsync("Outside", inboxIdentifier: sales.Identifier);

        await Refusal.NotFound(() => host.Ask(grace, new ShowContact(outside.Id)));
        await Refusal.NotFound(() => host.Send(grace, new UpdateAccountContact(outside.Id, Named("Renamed"))));
        await Refusal.NotFound(() => host.Ask(grace, new ListContactConversations(outside.Id)));
        await Refusal.NotFound(() => host.Ask(grace, new ShowContact(999_999)));
        Assert.Equal("Outside", (await host.Ask(host.Admin, new ShowContact(outside.Id))).Contact.Name);
    }

    [Fact]
    public async Task An_agent_creates_an_unverified_contact_in_an_inbox_of_its_own_with_a_source_id_it_never_sees()
    {
        await using var host = await UseCaseHost.StartAsync();
        var sales = await host.InboxAsync("Sales");
        var grace = await host.AgentAsync("Grace");
        var fields = ContactFields.None with
        {
            Name = "Lead", Email = "lead@example.com", Identifier = "crm-1", SourceId = "chosen-by-agent",
            IdentifierHash = RestHash(host.HmacToken, "crm-1"),
        };

        var created = await host.Send(grace, new CreateAccountContact(UseCaseHost.InboxId, fields));
        Assert.Equal(("Lead", "lead@example.com", UseCaseHost.InboxId), (created.Contact.Name, created.Contact.Email, created.InboxId));
        Assert.Equal(("", "", false), (created.Contact.SourceId, created.Contact.PubsubToken, created.Contact.HmacVerified));
        var row = (await host.Store.ReadAsync(r => r.GetContactAsync(created.Contact.Id)))!;
        Assert.NotEqual("chosen-by-agent", row.SourceId);
        Assert.False(row.HmacVerified);
        Assert.Contains(host.Events, e => e is ContactCreated c && c.Contact.Id == created.Contact.Id);

        await Refusal.Invalid("inbox_id", () => host.Send(grace, new CreateAccountContact(null, fields)));
        await Refusal.NotFound(() => host.Send(grace, new CreateAccountContact(sales.Id, fields)));
        await Refusal.Invalid("email", () => host.Send(grace, new CreateAccountContact(UseCaseHost.InboxId, Named("x") with { Email = "not an email" })));
        Assert.NotEmpty((await host.Send(host.Admin, new CreateAccountContact(UseCaseHost.InboxId, ContactFields.None))).Contact.Name!);
    }

    [Fact]
    public async Task An_agent_edits_a_contact_merging_attributes_and_an_identifier_it_sets_unverifies_it()
    {
        await using var host = await UseCaseHost.StartAsync();
        var grace = await host.AgentAsync("Grace");
        var verified = await host.NewContactAsync("Ann", ContactFields.None with
        {
            Name = "Ann", Identifier = "crm-7", IdentifierHash = RestHash(host.HmacToken, "crm-7"),
            CustomAttributes = new() { ["plan"] = Json("\"pro\"") },
        });
        Assert.True(verified.HmacVerified);

        var phoned = await host.Send(grace, new UpdateAccountContact(verified.Id, ContactFields.None with
        {
            PhoneNumber = "+1 555 0100", CustomAttributes = new() { ["tier"] = Json("\"gold\"") },
        }));
        Assert.Equal("+1 555 0100", phoned.Contact.PhoneNumber);
        Assert.Equal(["plan", "tier"], phoned.Contact.CustomAttributes!.Keys.Order());
        Assert.True(phoned.Contact.HmacVerified); // its proven identifier unchanged
        var moved = await host.Send(grace, new UpdateAccountContact(verified.Id, ContactFields.None with { Identifier = "crm-8" }));
        Assert.False(moved.Contact.HmacVerified);
        Assert.Contains(host.Events, e => e is ContactUpdated u && u.Contact.Id == verified.Id);
    }

    [Fact]
    public async Task A_contacts_conversations_are_those_the_agent_could_open_newest_activity_first()
    {
        await using var host = await UseCaseHost.StartAsync();
        var sales = await host.InboxAsync("Sales");
        var ann = await host.ContactAsync("Ann");
        var first = await host.ConversationAsync(ann, "first");
        var second = await host.ConversationAsync(ann, "second");
        await Task.Delay(20); // activity is kept in milliseconds: "later" must not tie with the second conversation's start
        await host.SayAsync(ann, first.Id, "later");
        var bob = await host.ContactAsync("Bob", inboxIdentifier: sales.Identifier);
        await host.ConversationAsync(bob, "in sales");
        var heidi = await host.AgentAsync("Heidi", AgentRoles.Administrator, inboxId: null); // an administrator of no inbox

        Assert.Equal([first.Id, second.Id], (await host.Ask(host.Admin, new ListContactConversations(ann.Id))).Select(c => c.Id));
        Assert.Empty(await host.Ask(heidi, new ListContactConversations(ann.Id)));
        Assert.Equal("Ann", (await host.Ask(heidi, new ShowContact(ann.Id))).Contact.Name);
    }

    private static System.Text.Json.JsonElement Json(string text) => System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();

    private static string RestHash(string hmacToken, string identifier) => Rest.RestTestHelpers.IdentifierHash(hmacToken, identifier);
}
