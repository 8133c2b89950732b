using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Application.Connections;
using ChatHub.Server.Tests.Cable;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ChatHub.Server.Tests.Presence;

/// <summary>Presence from connections on one node (issue 24): an agent is online while one of their connections (hub,
/// console, /cable) is open, and a grace after the last one closed; what they chose applies on top; the public inbox's
/// <c>online</c>, the agent lists and the widget's contacts follow, live. A short grace (1 s) keeps the tests quick;
/// every wait is a bounded poll, never a timing threshold.</summary>
public sealed class PresenceTests
{
    private static readonly Dictionary<string, string?> ShortGrace = new() { ["Presence:Grace"] = "00:00:01" };

    [Fact]
    public async Task An_agent_is_online_while_connected_and_offline_a_grace_after_the_last_connection_closes()
    {
        await using var server = await ChatServer.StartAsync(settings: ShortGrace);
        var ann = await server.CreateAgent("Ann");
        using var annHttp = server.AgentHttp(ann.AccessToken!);
        Assert.False(await InboxOnline(server));

        var first = await HubSession.ConnectAsync(server, ann.AccessToken!);
        await first.Hub.SetAvailabilityAsync(Availabilities.Online);
        Assert.True(await InboxOnline(server)); // the choice of a connected agent applies at once
        Assert.Equal(Availabilities.Online, await ListedAvailability(server, ann.Id));
        Assert.Equal(Availabilities.Online, await ChatwootAvailabilityStatus(server, ann.Id));
        // A second connection (a /cable subscription), then the first closes: still connected through the second.
        var (cable, _) = await RawCable.SubscribeAgentAsync(server, ann.AccessToken!);
        var open = server.App.Services.GetRequiredService<OpenConnections>();
        await first.DisposeAsync();
        await Eventually(() => Task.FromResult(open.OfAgent(ann.Id).Count == 1), "the server closed Ann's hub connection");
        // A barrier: Dan connects and leaves after Ann's hub connection closed; once he shows offline, a grace begun
        // when Ann's hub connection closed would have run out too.
        var dan = await server.CreateAgent("Dan");
        await using (var danHub = await HubSession.ConnectAsync(server, dan.AccessToken!)) await danHub.Hub.SetAvailabilityAsync(Availabilities.Online);
        await Eventually(async () => await ListedAvailability(server, dan.Id) == Availabilities.Offline, "Dan offline after his grace");
        Assert.Equal(Availabilities.Online, (await annHttp.GetRead<AgentDto>("/api/v1/profile")).Availability);
        Assert.True(await InboxOnline(server));

        // The last connection closes: offline after the grace, her choice kept.
        await cable.DisposeAsync();
        await Eventually(async () => !await InboxOnline(server), "the inbox offline after the grace");
        var profile = await annHttp.GetRead<AgentDto>("/api/v1/profile");
        Assert.Equal((Availabilities.Offline, Availabilities.Online), (profile.Availability, profile.ChosenAvailability));
        Assert.Equal(Availabilities.Offline, await ListedAvailability(server, ann.Id));
        Assert.Equal(Availabilities.Offline, await ChatwootAvailabilityStatus(server, ann.Id));

        // Back: online again without choosing anything.
        await using var again = await HubSession.ConnectAsync(server, ann.AccessToken!);
        Assert.True(await InboxOnline(server));
    }

    [Fact]
    public async Task What_a_connected_agent_chose_applies_offline_and_busy_leave_the_inbox_offline()
    {
        await using var server = await ChatServer.StartAsync(settings: ShortGrace);
        var bea = await server.CreateAgent("Bea");
        await using var hub = await HubSession.ConnectAsync(server, bea.AccessToken!);

        await hub.Hub.SetAvailabilityAsync(Availabilities.Online);
        Assert.True(await InboxOnline(server));
        await hub.Hub.SetAvailabilityAsync(Availabilities.Offline);
        Assert.False(await InboxOnline(server));
        Assert.Equal(Availabilities.Offline, await ListedAvailability(server, bea.Id));
        await hub.Hub.SetAvailabilityAsync(Availabilities.Busy);
        Assert.False(await InboxOnline(server)); // busy is not "We're online"
        Assert.Equal(Availabilities.Busy, await ListedAvailability(server, bea.Id));
        // The agents hear each change, with what was chosen beside what others see.
        var pushed = await hub.Pushes.WaitFor<PresenceEvent>(p => p.AgentId == bea.Id && p.Availability == Availabilities.Busy);
        Assert.Equal(Availabilities.Busy, pushed.ChosenAvailability);
    }

    [Fact]
    public async Task The_widgets_contacts_are_told_when_the_inbox_gains_its_first_online_agent_and_loses_its_last_and_never_who()
    {
        await using var server = await ChatServer.StartAsync(settings: ShortGrace);
        var carl = await server.CreateAgent("Carl");
        var contact = await server.CreateContact("Visitor");
        await using var widget = await HubSession.ConnectAsync(server, contact.PubsubToken);

        var console = await HubSession.ConnectAsync(server, carl.AccessToken!);
        await console.Hub.SetAvailabilityAsync(Availabilities.Online);
        var online = await widget.Pushes.WaitFor<InboxAvailabilityEvent>(a => a.Online);
        Assert.Equal(1L, online.InboxId);

        // The console tab closes: after the grace the widget's header turns to "away", without a reload.
        await console.DisposeAsync();
        await widget.Pushes.WaitFor<InboxAvailabilityEvent>(a => !a.Online);
        // Each PresenceChanged was published before the inbox change it caused, on the same connection's way: had the
        // contact been sent one, it would be here by now. A contact learns yes/no, never who.
        Assert.Empty(widget.Pushes.All<PresenceEvent>());
        Assert.Equal([true, false], widget.Pushes.All<InboxAvailabilityEvent>().Select(a => a.Online));
        Assert.False(await InboxOnline(server));
    }

    [Fact]
    public async Task An_online_agent_joining_or_leaving_the_inbox_turns_its_widget_header_before_the_administrator_is_answered()
    {
        await using var server = await ChatServer.StartAsync(settings: ShortGrace);
        var dora = await server.CreateAgent("Dora", inboxId: null);
        await using var console = await HubSession.ConnectAsync(server, dora.AccessToken!);
        await console.Hub.SetAvailabilityAsync(Availabilities.Online);
        var contact = await server.CreateContact("Visitor");
        await using var widget = await HubSession.ConnectAsync(server, contact.PubsubToken);
        Assert.False(await InboxOnline(server));
        using var admin = server.AgentHttp(server.AgentToken);

        (await admin.PostJson("/api/v1/inboxes/1/members", new { agent_ids = new[] { dora.Id } })).EnsureSuccessStatusCode();
        Assert.True(await InboxOnline(server));
        await widget.Pushes.WaitFor<InboxAvailabilityEvent>(a => a.Online);

        (await admin.DeleteAsync($"/api/v1/inboxes/1/members/{dora.Id}")).EnsureSuccessStatusCode();
        Assert.False(await InboxOnline(server));
        await widget.Pushes.WaitFor<InboxAvailabilityEvent>(a => !a.Online);
    }

    [Fact]
    public async Task After_a_restart_with_no_console_open_the_inbox_is_not_online_though_the_agent_chose_online()
    {
        string dbPath, token, inbox, hmac;
        await using (var before = await ChatServer.StartAsync(settings: ShortGrace))
        {
            (dbPath, token, inbox, hmac) = (before.DbPath, before.AgentToken, before.InboxIdentifier, before.HmacToken);
            await using var console = await HubSession.ConnectAsync(before, before.AgentToken);
            await console.Hub.SetAvailabilityAsync(Availabilities.Online);
            Assert.True(await InboxOnline(before));
        }
        await using var after = await ChatServer.StartAsync(dbPath: dbPath, settings: ShortGrace, agentToken: token, inboxIdentifier: inbox, hmacToken: hmac);
        Assert.False(await InboxOnline(after));
        using var admin = after.AgentHttp(after.AgentToken);
        var profile = await admin.GetRead<AgentDto>("/api/v1/profile");
        Assert.Equal((Availabilities.Offline, Availabilities.Online), (profile.Availability, profile.ChosenAvailability));
    }

    internal static async Task<bool> InboxOnline(HttpClient http, string clientApi) => (await http.GetRead<InboxDto>(clientApi)).Online == true;

    private static Task<bool> InboxOnline(ChatServer server) => InboxOnline(server.Http, server.ClientApi);

    private static async Task<string> ListedAvailability(ChatServer server, long agentId)
    {
        using var admin = server.AgentHttp(server.AgentToken);
        return (await admin.GetRead<List<AgentDto>>("/api/v1/agents")).Single(a => a.Id == agentId).Availability;
    }

    /// <summary>Chatwoot's application API agent list (<c>_agent</c>): <c>availability_status</c>.</summary>
    private static async Task<string> ChatwootAvailabilityStatus(ChatServer server, long agentId)
    {
        using var admin = server.AgentHttp(server.AgentToken);
        var agents = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/accounts/1/agents")).RootElement;
        return agents.EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == agentId).GetProperty("availability_status").GetString()!;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; the bound only guards against hanging.</summary>
    internal static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within the bound: {what}");
            await Task.Delay(50);
        }
    }
}
