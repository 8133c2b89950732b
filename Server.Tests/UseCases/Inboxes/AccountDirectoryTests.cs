using ChatHub.Contracts;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Inboxes;

/// <summary>The application API's agents and inboxes, in-process: any agent lists the active agents (no tokens); an
/// agent sees the inboxes it is a member of, an administrator every inbox, and the HMAC secret is the administrators'.</summary>
public sealed class AccountDirectoryTests
{
    [Fact]
    public async Task Any_agent_lists_the_active_agents_without_tokens()
    {
        await using var host = await UseCaseHost.StartAsync();
        var grace = await host.AgentAsync("Grace");
        var gone = await host.NewAgentAsync("Gone");
        await host.Send(host.Admin, new SetAgentActive(gone.Id, false));

        var agents = await host.Ask(grace, new ListAccountAgents());
        Assert.Equal([1, grace.Id], agents.Select(a => a.Id));
        Assert.All(agents, a => Assert.Equal((null, null), (a.PubsubToken, a.AccessToken)));
        var contact = await host.ContactAsync();
        await Refusal.Forbidden(() => host.Ask(contact, new ListAccountAgents()));
    }

    [Fact]
    public async Task An_agent_sees_its_inboxes_an_administrator_all_and_only_administrators_the_secret()
    {
        await using var host = await UseCaseHost.StartAsync();
        var sales = await host.InboxAsync("Sales");
        var grace = await host.AgentAsync("Grace");

        var hers = await host.Ask(grace, new ListAccountInboxes());
        Assert.Equal([UseCaseHost.InboxId], hers.Select(i => i.Id));
        Assert.Equal("", hers.Single().HmacToken);
        var all = await host.Ask(host.Admin, new ListAccountInboxes());
        Assert.Equal([UseCaseHost.InboxId, sales.Id], all.Select(i => i.Id));
        Assert.Equal(host.HmacToken, all[0].HmacToken);

        Assert.Equal("", (await host.Ask(grace, new GetAccountInbox(UseCaseHost.InboxId))).HmacToken);
        Assert.Equal(sales.HmacToken, (await host.Ask(host.Admin, new GetAccountInbox(sales.Id))).HmacToken);
        await Refusal.NotFound(() => host.Ask(grace, new GetAccountInbox(sales.Id)));
        await Refusal.NotFound(() => host.Ask(host.Admin, new GetAccountInbox(999_999)));
    }
}
