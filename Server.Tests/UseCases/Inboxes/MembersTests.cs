using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Inboxes;

/// <summary>Inbox membership, in-process: administrators add, remove, set and list an inbox's agents; a member sees the
/// inbox's conversations, a removed one no longer does; an unknown agent refuses the whole change.</summary>
public sealed class MembersTests
{
    [Fact]
    public async Task Adding_an_agent_gives_it_the_inboxs_conversations_and_adding_again_changes_nothing()
    {
        await using var host = await UseCaseHost.StartAsync();
        var oscar = await host.AgentAsync("Oscar", inboxId: null);
        var conversation = await host.ConversationAsync(await host.ContactAsync(), "hi");
        await Refusal.Forbidden(() => host.ConversationOfAsync(oscar, conversation.Id));
        Assert.Empty((await host.Ask(oscar, new ListConversations(null, null, null, null))).Conversations);

        Assert.Equal([1L, oscar.Id], await host.Send(host.Admin, new AddMembers(1, [oscar.Id])));
        var added = host.Events.OfType<InboxMembersAdded>().Single();
        Assert.Equal(1L, added.InboxId);
        Assert.Equal([oscar.Id], added.AgentIds);
        Assert.Equal(conversation.Id, (await host.ConversationOfAsync(oscar, conversation.Id)).Id);
        Assert.Equal([conversation.Id], (await host.Ask(oscar, new ListConversations(null, null, null, null))).Conversations.Select(c => c.Id));

        Assert.Equal(2, (await host.Send(host.Admin, new AddMembers(1, [oscar.Id, oscar.Id]))).Count);
    }

    [Fact]
    public async Task An_unknown_inbox_or_agent_refuses_the_whole_change()
    {
        await using var host = await UseCaseHost.StartAsync();
        await Refusal.NotFound(() => host.Send(host.Admin, new AddMembers(999, [1])));
        await Refusal.Invalid("agent_ids", () => host.Send(host.Admin, new AddMembers(1, [424242])));
        await Refusal.Invalid("agent_ids", () => host.Send(host.Admin, new AddMembers(1, [])));
        await Refusal.Invalid("agent_ids", () => host.Send(host.Admin, new AddMembers(1, null)));
        await Refusal.Invalid("agent_ids", () => host.Send(host.Admin, new AddMembers(1, Enumerable.Range(1, InboxRules.MaxMemberIds + 1).Select(i => (long)i).ToList())));

        // All or nothing: a known agent listed with an unknown one is not added either.
        var quinn = await host.AgentAsync("Quinn", inboxId: null);
        await Refusal.Invalid("agent_ids", () => host.Send(host.Admin, new AddMembers(1, [quinn.Id, 424242])));
        await Refusal.Forbidden(() => host.Ask(quinn, new ListConversations(null, 1, null, null)));
        Assert.Empty(host.Events.OfType<InboxMembersAdded>());
    }

    [Fact]
    public async Task Removing_an_agent_takes_the_inbox_away_and_removing_a_non_member_is_no_error()
    {
        await using var host = await UseCaseHost.StartAsync();
        var sam = await host.AgentAsync("Sam");
        var conversation = await host.ConversationAsync(await host.ContactAsync(), "hi");
        Assert.Equal(conversation.Id, (await host.ConversationOfAsync(sam, conversation.Id)).Id);

        Assert.Equal([1L], await host.Send(host.Admin, new RemoveMembers(1, [sam.Id])));
        var removed = Assert.Single(host.Events.OfType<InboxMembersRemoved>());
        Assert.Equal(1L, removed.InboxId);
        Assert.Equal([sam.Id], removed.AgentIds);
        await Refusal.Forbidden(() => host.ConversationOfAsync(sam, conversation.Id));
        Assert.Empty((await host.Ask(sam, new ListConversations("all", null, null, null))).Conversations);

        Assert.Equal([1L], await host.Send(host.Admin, new RemoveMembers(1, [sam.Id])));
        Assert.Single(host.Events.OfType<InboxMembersRemoved>()); // nothing removed, nothing published
        await Refusal.NotFound(() => host.Send(host.Admin, new RemoveMembers(999, [sam.Id])));
        await Refusal.Invalid("agent_ids", () => host.Send(host.Admin, new RemoveMembers(1, [])));
    }

    [Fact]
    public async Task Setting_the_members_adds_the_missing_and_removes_the_others()
    {
        await using var host = await UseCaseHost.StartAsync();
        var kim = await host.NewAgentAsync("Kim");
        var lee = await host.NewAgentAsync("Lee", inboxId: null);

        Assert.Equal([1L, lee.Id], (await host.Send(host.Admin, new SetMembers(1, [1, lee.Id, lee.Id]))).Order());
        Assert.Equal([lee.Id], host.Events.OfType<InboxMembersAdded>().Last().AgentIds);
        Assert.Equal([kim.Id], host.Events.OfType<InboxMembersRemoved>().Last().AgentIds);
        await Refusal.Invalid("agent_ids", () => host.Send(host.Admin, new SetMembers(1, null)));
        await Refusal.Invalid("agent_ids", () => host.Send(host.Admin, new SetMembers(1, [424242])));
        await Refusal.NotFound(() => host.Send(host.Admin, new SetMembers(999, [1])));
        Assert.Empty(await host.Send(host.Admin, new SetMembers(1, []))); // nobody: allowed
    }

    [Fact]
    public async Task Administrators_list_an_inboxs_members_without_tokens()
    {
        await using var host = await UseCaseHost.StartAsync();
        var peggy = await host.NewAgentAsync("Peggy", inboxId: null);
        var quinn = await host.NewAgentAsync("Quinn", inboxId: null);
        var sales = await host.InboxAsync("Sales");
        await host.Send(host.Admin, new AddMembers(sales.Id, [peggy.Id]));

        var members = await host.Ask(host.Admin, new ListMembers(sales.Id));
        Assert.Equal([1L, peggy.Id], members.Select(m => m.Id)); // its creator and Peggy; not Quinn
        Assert.DoesNotContain(quinn.Id, members.Select(m => m.Id));
        Assert.Equal("Peggy", members[1].Name);
        Assert.All(members, m => Assert.Equal((null, null), (m.AccessToken, m.PubsubToken)));
        await Refusal.NotFound(() => host.Ask(host.Admin, new ListMembers(999)));
    }

    [Fact]
    public async Task Only_administrators_change_or_list_members()
    {
        await using var host = await UseCaseHost.StartAsync();
        var peggy = await host.AgentAsync("Peggy");
        foreach (var caller in new[] { peggy, await host.ContactAsync(), Caller.Anonymous })
        {
            await Refusal.Forbidden(() => host.Send(caller, new AddMembers(1, [peggy.Id])));
            await Refusal.Forbidden(() => host.Send(caller, new RemoveMembers(1, [1])));
            await Refusal.Forbidden(() => host.Send(caller, new SetMembers(1, [peggy.Id])));
            await Refusal.Forbidden(() => host.Ask(caller, new ListMembers(1)));
        }
        Assert.Equal([1L, peggy.Id], await host.Store.ReadAsync(r => r.MembersOfAsync(1)));
    }
}
