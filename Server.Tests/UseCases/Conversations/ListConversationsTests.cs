using ChatHub.Contracts;
using ChatHub.Server.Features.Contacts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Labels;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>ListConversations and CountConversations, in-process: a contact sees its own conversations (every status);
/// an agent its inboxes' (open by default), filtered by status, assignee and inbox, newest activity first, a page at a
/// time with the total; the counts Chatwoot's list shows; Chatwoot's labels (any of them) and q (search) filters.</summary>
public sealed class ListConversationsTests
{
    private static async Task<List<long>> Ids(UseCaseHost host, Identity.Caller caller, string? status = null, long? inboxId = null,
        string? assignee = null) =>
        (await host.Ask(caller, new ListConversations(status, inboxId, assignee, null))).Conversations.Select(c => c.Id).Order().ToList();

    [Fact]
    public async Task A_contact_lists_only_its_own_conversations_whatever_their_status_with_their_newest_messages()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync("Ann");
        var bob = await host.ContactAsync("Bob");
        var first = await host.ConversationAsync(ann, "one");
        var second = await host.ConversationAsync(ann, "two");
        await host.ConversationAsync(bob, "not Ann's");
        await host.Send(ann, new SetStatus(first.Id, null));

        var page = await host.Ask(ann, new ListConversations(null, null, null, null));
        Assert.Equal([first.Id, second.Id], page.Conversations.Select(c => c.Id).Order());
        Assert.Equal(2, page.Total);
        Assert.All(page.Conversations, c => Assert.Equal(ann.Id, c.ContactId));
        Assert.Equal("two", page.Conversations.Single(c => c.Id == second.Id).Messages.Single().Content);
        Assert.Equal([first.Id], await Ids(host, ann, "resolved"));
        Assert.Equal([second.Id], await Ids(host, ann, "open"));
    }

    [Fact]
    public async Task An_agent_lists_open_conversations_by_default_and_filters_by_status()
    {
        await using var host = await UseCaseHost.StartAsync();
        var contact = await host.ContactAsync();
        var open = await host.ConversationAsync(contact, "open one");
        var pending = await host.ConversationAsync(contact, "pending one");
        var resolved = await host.ConversationAsync(contact, "resolved one");
        await host.Send(host.Admin, new SetStatus(pending.Id, "pending"));
        await host.Send(host.Admin, new SetStatus(resolved.Id, "resolved"));

        Assert.Equal([open.Id], await Ids(host, host.Admin));
        Assert.Equal([open.Id], await Ids(host, host.Admin, "open"));
        Assert.Equal([pending.Id], await Ids(host, host.Admin, "pending"));
        Assert.Equal([resolved.Id], await Ids(host, host.Admin, "resolved"));
        Assert.Equal([open.Id, pending.Id, resolved.Id], await Ids(host, host.Admin, "all"));
    }

    [Fact]
    public async Task The_list_is_newest_activity_first_with_the_total_and_pages_of_ConversationsPageSize()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?> { ["Limits:ConversationsPageSize"] = "2" });
        var contact = await host.ContactAsync();
        var started = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            started.Add((await host.ConversationAsync(contact, $"c{i}")).Id);
            await Task.Delay(5); // activity is ordered by the millisecond
        }

        var pages = new List<ConversationPage>();
        for (var page = 1; page <= 4; page++) pages.Add(await host.Ask(host.Admin, new ListConversations(null, null, null, page)));
        Assert.All(pages, p => Assert.Equal(5, p.Total));
        Assert.Equal([1, 2, 3, 4], pages.Select(p => p.Page));
        Assert.Equal([2, 2, 1, 0], pages.Select(p => p.Conversations.Count));
        Assert.Equal(started.AsEnumerable().Reverse(), pages.SelectMany(p => p.Conversations).Select(c => c.Id)); // newest first, each once

        // A message moves its conversation to the front, for the agents and the contact.
        await host.SayAsync(contact, started[0], "bump");
        Assert.Equal(started[0], (await host.Ask(host.Admin, new ListConversations(null, null, null, null))).Conversations[0].Id);
        Assert.Equal(started[0], (await host.Ask(contact, new ListConversations(null, null, null, null))).Conversations[0].Id);
    }

    [Fact]
    public async Task An_agent_filters_by_assignee()
    {
        await using var host = await UseCaseHost.StartAsync();
        var heidi = await host.NewAgentAsync("Heidi");
        var contact = await host.ContactAsync();
        var mine = await host.ConversationAsync(contact, "mine");
        var theirs = await host.ConversationAsync(contact, "theirs");
        var nobodys = await host.ConversationAsync(contact, "nobody's");
        await host.Send(host.Admin, new Assign(mine.Id, 1));
        await host.Send(host.Admin, new Assign(theirs.Id, heidi.Id));

        Assert.Equal([mine.Id], await Ids(host, host.Admin, assignee: "me"));
        Assert.Equal([nobodys.Id], await Ids(host, host.Admin, assignee: "unassigned", inboxId: 1));
        Assert.Equal([mine.Id, theirs.Id], await Ids(host, host.Admin, assignee: "assigned"));
        Assert.Equal([mine.Id, theirs.Id, nobodys.Id], await Ids(host, host.Admin, assignee: "all"));
        Assert.Equal([mine.Id, theirs.Id, nobodys.Id], await Ids(host, host.Admin));
    }

    [Fact]
    public async Task An_agent_sees_only_the_inboxes_it_is_a_member_of_and_may_filter_by_one_of_them()
    {
        await using var host = await UseCaseHost.StartAsync();
        var second = await host.InboxAsync("Second"); // the administrator who creates it is a member
        var inFirst = await host.ConversationAsync(await host.ContactAsync());
        var inSecond = await host.ConversationAsync(await host.ContactAsync("S", inboxIdentifier: second.Identifier));
        var ivan = await host.AgentAsync("Ivan", inboxId: 1);

        Assert.Equal([inFirst.Id], await Ids(host, host.Admin, inboxId: 1));
        Assert.Equal([inSecond.Id], await Ids(host, host.Admin, inboxId: second.Id));
        Assert.Equal(2, (await host.Ask(host.Admin, new ListConversations(null, null, null, null))).Total);

        var ivans = await host.Ask(ivan, new ListConversations("all", null, null, null));
        Assert.Equal([inFirst.Id], ivans.Conversations.Select(c => c.Id));
        Assert.Equal(1, ivans.Total);
        await Refusal.Forbidden(() => host.Ask(ivan, new ListConversations(null, second.Id, null, null)));
        await Refusal.Forbidden(() => host.Ask(ivan, new CountConversations(null, second.Id)));
    }

    [Fact]
    public async Task Bad_filters_are_refused_by_name()
    {
        await using var host = await UseCaseHost.StartAsync();
        await Refusal.Invalid("status", () => host.Ask(host.Admin, new ListConversations("closed", null, null, null)));
        await Refusal.Invalid("status", () => host.Ask(host.Admin, new ListConversations("weird", null, null, null)));
        await Refusal.Invalid("assignee", () => host.Ask(host.Admin, new ListConversations(null, null, "you", null)));
        foreach (var page in new int?[] { 0, -1, 100_001 })
            await Refusal.Invalid("page", () => host.Ask(host.Admin, new ListConversations(null, null, null, page)));
        await Refusal.Invalid("status", () => host.Ask(host.Admin, new CountConversations("closed", null)));
    }

    [Fact]
    public async Task Counts_are_mine_assigned_unassigned_and_all_for_the_same_filter_and_for_agents_only()
    {
        await using var host = await UseCaseHost.StartAsync();
        var bob = await host.NewAgentAsync("Bob");
        var conversations = new List<ConversationDto>();
        for (var i = 0; i < 4; i++) conversations.Add(await host.ConversationAsync(await host.ContactAsync($"C{i}"), "hello"));
        await host.Send(host.Admin, new Assign(conversations[0].Id, 1));
        await host.Send(host.Admin, new Assign(conversations[1].Id, bob.Id));
        await host.Send(host.Admin, new SetStatus(conversations[3].Id, "resolved"));

        Assert.Equal(new ConversationCounts(1, 2, 1, 3), await host.Ask(host.Admin, new CountConversations(null, null))); // open by default
        Assert.Equal(new ConversationCounts(1, 2, 2, 4), await host.Ask(host.Admin, new CountConversations("all", null)));
        Assert.Equal(new ConversationCounts(0, 0, 1, 1), await host.Ask(host.Admin, new CountConversations("resolved", 1)));
        var outsider = await host.AgentAsync("Eve", inboxId: null);
        Assert.Equal(new ConversationCounts(0, 0, 0, 0), await host.Ask(outsider, new CountConversations("all", null)));
        await Refusal.Forbidden(async () => await host.Ask(await host.ContactAsync(), new CountConversations(null, null)));
    }

    [Fact]
    public async Task An_agent_filters_by_any_of_the_labels_whatever_their_case_and_searches_every_status_and_the_counts_follow()
    {
        await using var host = await UseCaseHost.StartAsync();
        foreach (var title in new[] { "vip", "billing" }) await host.Send(host.Admin, new CreateLabel(title, null, null, null));
        var ann = await host.ContactAsync("Ann", ContactFields.None with { Name = "Ann Lee", Email = "ann@example.com" });
        var bob = await host.ContactAsync("Bob", ContactFields.None with { Name = "Bob", PhoneNumber = "+44 77" });
        var vip = await host.ConversationAsync(ann, "one");
        var billing = await host.ConversationAsync(ann, "two");
        var plain = await host.ConversationAsync(bob, "three");
        await host.Send(host.Admin, new SetConversationLabels(vip.Id, ["vip"]));
        await host.Send(host.Admin, new SetConversationLabels(billing.Id, ["billing"]));
        await host.Send(host.Admin, new SetStatus(billing.Id, "resolved"));
        await host.Send(host.Admin, new Assign(vip.Id, 1));

        async Task<List<long>> Listed(string? status, IReadOnlyList<string?>? labels = null, string? q = null) =>
            (await host.Ask(host.Admin, new ListConversations(status, null, null, null, labels, q))).Conversations.Select(c => c.Id).Order().ToList();
        Assert.Equal([vip.Id], await Listed(null, ["VIP"])); // open by default; titles are compared lower case
        Assert.Equal([vip.Id, billing.Id], await Listed("all", ["vip", "billing"]));
        Assert.Empty(await Listed("all", ["unknown"]));
        // q searches every status unless one is asked (Chatwoot's finder skips its status filter for q).
        Assert.Equal([vip.Id, billing.Id], await Listed(null, q: "EXAMPLE"));
        Assert.Equal([vip.Id], await Listed("open", q: "ann lee"));
        Assert.Equal([plain.Id], await Listed(null, q: "+44"));
        Assert.Equal([billing.Id], await Listed(null, ["billing"], "ann"));

        Assert.Equal(new ConversationCounts(1, 1, 1, 2), await host.Ask(host.Admin, new CountConversations(null, null, null, "ann")));
        Assert.Equal(new ConversationCounts(0, 0, 1, 1), await host.Ask(host.Admin, new CountConversations("all", null, ["billing"])));
    }

    [Fact]
    public async Task Labels_and_q_are_bounded_and_refused_by_name()
    {
        await using var host = await UseCaseHost.StartAsync();
        var tooMany = Enumerable.Range(0, 51).Select(i => (string?)$"l{i}").ToList(); // Limits:MaxLabelsPerConversation is 50
        foreach (var labels in new[] { tooMany, ["bad title"], [new string('a', 101)] })
        {
            await Refusal.Invalid("labels", () => host.Ask(host.Admin, new ListConversations(null, null, null, null, labels)));
            await Refusal.Invalid("labels", () => host.Ask(host.Admin, new CountConversations(null, null, labels)));
        }
        var longQ = new string('q', SearchContactsValidator.MaxQueryLength + 1);
        await Refusal.Invalid("q", () => host.Ask(host.Admin, new ListConversations(null, null, null, null, null, longQ)));
        await Refusal.Invalid("q", () => host.Ask(host.Admin, new CountConversations(null, null, null, longQ)));
    }
}
