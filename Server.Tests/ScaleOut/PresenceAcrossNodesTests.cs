using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Presence.PresenceTests;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>Presence across two nodes sharing one SQLite file and a real redis-server (issue 24): node A runs in this
/// process, node B as a child process, so it can be killed for real (SIGKILL). An agent connected to B is seen online
/// through A; their connection closing on B, or B dying, makes them offline as seen through A (within the grace, or
/// Presence:NodeTimeout after B's last renewal), and A's widget contacts and agents are pushed the change.</summary>
public sealed class PresenceAcrossNodesTests
{
    [Fact]
    public async Task An_agent_connected_to_node_B_is_online_through_node_A_and_offline_there_once_they_leave_or_B_is_killed()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Redis:Configuration"] = redis.Configuration,
            ["Redis:ChannelPrefix"] = $"test-{Guid.NewGuid():N}",
            ["Presence:Grace"] = "00:00:01",
            ["Presence:NodeTimeout"] = "00:00:03",
        };
        await using var a = await ChatServer.StartAsync(settings: settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        await using var b = await ServerProcess.StartAsync(a.DbPath, a.AgentToken, a.InboxIdentifier, settings);
        await TwoNodes.WaitForHealth(a, "healthy");
        await Eventually(async () => await HealthOf(b.Http) == "healthy", "node B healthy");

        var ann = await a.CreateAgent("Ann");
        var visitor = await a.CreateContact("Visitor");
        await using var widgetOnA = await HubSession.ConnectAsync(a, visitor.PubsubToken);
        await using var adminOnA = await HubSession.ConnectAsync(a, a.AgentToken);
        await adminOnA.Hub.SetAvailabilityAsync(Availabilities.Offline); // connected, but not "We're online"
        Assert.False(await InboxOnline(a.Http, a.ClientApi));

        // Ann on node B: online as node A sees it, and A's clients are told.
        var annOnB = await HubSession.ConnectAsync(b.BaseUrl, ann.AccessToken!);
        await annOnB.Hub.SetAvailabilityAsync(Availabilities.Online);
        await Eventually(() => InboxOnline(a.Http, a.ClientApi), "online through A");
        Assert.Equal(Availabilities.Online, await ListedThroughA(a, ann.Id));
        await widgetOnA.Pushes.WaitFor<InboxAvailabilityEvent>(e => e.Online);
        await adminOnA.Pushes.WaitFor<PresenceEvent>(e => e.AgentId == ann.Id && e.Availability == Availabilities.Online);

        // Her tab on B closes: offline through A after the grace.
        await annOnB.DisposeAsync();
        await Eventually(async () => !await InboxOnline(a.Http, a.ClientApi), "offline through A after Ann left B");
        await widgetOnA.Pushes.WaitFor<InboxAvailabilityEvent>(e => !e.Online);

        // Back on B, then B is killed: nobody on B renews her presence, so node A finds it expired and announces it.
        await using var annAgain = await HubSession.ConnectAsync(b.BaseUrl, ann.AccessToken!);
        await Eventually(() => InboxOnline(a.Http, a.ClientApi), "online through A again");
        var pushesBefore = widgetOnA.Pushes.All<InboxAvailabilityEvent>().Count;
        await b.KillAsync();
        await Eventually(async () => !await InboxOnline(a.Http, a.ClientApi), "offline through A after B was killed");
        Assert.Equal(Availabilities.Offline, await ListedThroughA(a, ann.Id));
        await widgetOnA.Pushes.WaitForCount<InboxAvailabilityEvent>(pushesBefore + 1);
        Assert.Equal([true, false, true, false], widgetOnA.Pushes.All<InboxAvailabilityEvent>().Select(e => e.Online));
        await adminOnA.Pushes.WaitForCount<PresenceEvent>(2, e => e.AgentId == ann.Id && e.Availability == Availabilities.Offline);
        // What she chose is kept for when she is back.
        using var annHttp = a.AgentHttp(ann.AccessToken!);
        Assert.Equal(Availabilities.Online, (await annHttp.GetRead<AgentDto>("/api/v1/profile")).ChosenAvailability);
    }

    private static async Task<string> ListedThroughA(ChatServer a, long agentId)
    {
        using var admin = a.AgentHttp(a.AgentToken);
        return (await admin.GetRead<List<AgentDto>>("/api/v1/agents")).Single(x => x.Id == agentId).Availability;
    }

    private static async Task<string> HealthOf(HttpClient http)
    {
        using var response = await http.GetAsync("/healthz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("status").GetString()!;
    }
}
