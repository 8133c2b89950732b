using System.Net.Http.Json;
using System.Text.Json;
using ChatHub.Client;
using ChatHub.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ChatHub.LoadTest.Setup;

/// <summary>Makes the people of a run over the REST APIs and connects them to the hub, over
/// <paramref name="protocol"/> (<c>--protocol</c>: json or messagepack).</summary>
public sealed class Population(ServerUnderTest server, string protocol = "json") : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = server.Url };
    private readonly List<HubConnection> _connections = [];

    public async Task<IReadOnlyList<ContactDto>> CreateContactsAsync(int count, IProgress<int>? progress = null)
    {
        var contacts = new ContactDto[count];
        var done = 0;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        {
            var response = await _http.PostAsJsonAsync($"/public/api/v1/inboxes/{server.Inbox}/contacts", new { name = $"Customer {i}" }, Json, ct);
            response.EnsureSuccessStatusCode();
            contacts[i] = (await response.Content.ReadFromJsonAsync<ContactDto>(Json, ct))!;
            progress?.Report(Interlocked.Increment(ref done));
        });
        return contacts;
    }

    /// <summary>Creates agents and makes them members of the run's inbox; returns their access tokens.</summary>
    public async Task<IReadOnlyList<string>> CreateAgentsAsync(int count)
    {
        using var admin = new HttpClient { BaseAddress = server.Url };
        admin.DefaultRequestHeaders.Add("api_access_token", server.AdminToken);
        var inboxes = await admin.GetFromJsonAsync<List<InboxAdminDto>>("/api/v1/inboxes", Json);
        var inboxId = inboxes!.Single(i => i.Identifier == server.Inbox).Id;
        var tokens = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var response = await admin.PostAsJsonAsync("/api/v1/agents",
                new { name = $"Agent {i}", email = $"load-{Guid.NewGuid():N}@example.com", role = "agent" }, Json);
            var agent = (await response.Content.ReadFromJsonAsync<AgentDto>(Json))!;
            (await admin.PostAsJsonAsync($"/api/v1/inboxes/{inboxId}/members", new { agent_ids = new[] { agent.Id } }, Json)).EnsureSuccessStatusCode();
            tokens.Add(agent.AccessToken!);
        }
        return tokens;
    }

    /// <summary>Connects with the given token to the server address chosen by <paramref name="index"/> (an agent's:
    /// node B's, with two nodes), on the official client: WebSockets without negotiation, no reconnect (a load run
    /// counts a lost connection as errors rather than hiding it).</summary>
    public async Task<ChatHubProxy> ConnectAsync(string token, int index, IChatClient? handler = null, bool agent = false)
    {
        var urls = agent ? server.AgentUrls : server.Urls;
        var builder = new HubConnectionBuilder()
            .WithChatHub(urls[index % urls.Count], token, http =>
            {
                http.SkipNegotiation = true;
                http.Transports = HttpTransportType.WebSockets;
            });
        if (protocol == "messagepack") builder.AddMessagePackProtocol();
        var connection = builder.Build();
        connection.HandshakeTimeout = TimeSpan.FromSeconds(60);
        if (handler is not null) connection.On(handler);
        await connection.StartAsync();
        lock (_connections) _connections.Add(connection);
        return new ChatHubProxy(connection);
    }

    public int ConnectedCount()
    {
        lock (_connections) return _connections.Count(c => c.State == HubConnectionState.Connected);
    }

    public async ValueTask DisposeAsync()
    {
        List<HubConnection> all;
        lock (_connections) all = [.. _connections];
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) => await c.DisposeAsync());
        _http.Dispose();
    }
}
