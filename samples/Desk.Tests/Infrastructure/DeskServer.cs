using System.Net.Http.Json;
using System.Text.Json;
using ChatHub.Client;
using ChatHub.Server;
using ChatHub.Server.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ChatHub.Samples.Desk.Tests.Infrastructure;

/// <summary>A real ChatHub server on Kestrel, on a free loopback port, with its own SQLite file (as the server tests'
/// ChatServer); customers are real <see cref="CustomerSession"/>s of ChatHub.Client.</summary>
public sealed class DeskServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;
    private readonly List<CustomerSession> _customers = [];

    private DeskServer(WebApplication app, string folder, string agentToken, string inboxIdentifier)
    {
        _app = app;
        _folder = folder;
        AgentToken = agentToken;
        InboxIdentifier = inboxIdentifier;
        BaseUrl = new Uri(app.Urls.First());
    }

    public Uri BaseUrl { get; }

    /// <summary>The bootstrap administrator's access token (an agent of the inbox).</summary>
    public string AgentToken { get; }

    public string InboxIdentifier { get; }

    /// <summary>The bootstrap administrator's email and password (Bootstrap:AgentPassword).</summary>
    public const string AdminEmail = "admin@example.com";
    public const string AdminPassword = "desk admin password";

    /// <summary>What an invited agent set as its password (<see cref="InvitedAgentAsync"/>).</summary>
    public const string AgentPassword = "correct horse battery";

    /// <summary>An agent an administrator creates, member of the inbox, who then accepts its invitation with
    /// <see cref="AgentPassword"/> (<c>PUT /auth/password</c>, as the console's invitation page does).</summary>
    public async Task<InvitedAgent> InvitedAgentAsync(string name, string email)
    {
        using var admin = AdminHttp();
        var created = await admin.PostAsJsonAsync("/api/v1/agents", new { name, email, role = "agent" });
        created.EnsureSuccessStatusCode();
        using var agent = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = agent.RootElement.GetProperty("id").GetInt64();
        var accessToken = agent.RootElement.GetProperty("access_token").GetString()!;
        var invitation = agent.RootElement.GetProperty("invitation").GetProperty("url").GetString()!.Split("#invite=")[1];
        (await admin.PostAsJsonAsync("/api/v1/inboxes/1/members", new { agent_ids = new[] { id } })).EnsureSuccessStatusCode();
        using var anonymous = new HttpClient { BaseAddress = BaseUrl };
        (await anonymous.PutAsJsonAsync("/auth/password", new { reset_password_token = invitation, password = AgentPassword })).EnsureSuccessStatusCode();
        return new InvitedAgent(id, name, email, accessToken);
    }

    /// <summary>An agent with a password (<see cref="AgentPassword"/>) and its own access token.</summary>
    public sealed record InvitedAgent(long Id, string Name, string Email, string AccessToken);

    public static async Task<DeskServer> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "chathub-desk-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var agentToken = Tokens.NewSecret();
        var inbox = Tokens.NewIdentifier();
        var app = await ChatHubApp.BuildAsync([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["Storage:Sqlite:Path"] = Path.Combine(folder, "chathub.db"),
                ["Bootstrap:AgentAccessToken"] = agentToken,
                ["Bootstrap:AgentEmail"] = AdminEmail,
                ["Bootstrap:AgentPassword"] = AdminPassword,
                ["Bootstrap:InboxIdentifier"] = inbox,
                ["Bootstrap:HmacToken"] = Tokens.NewSecret(),
                ["Limits:RateLimitsEnabled"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:ChatHub.Server.Bootstrap"] = "Error",
            });
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole();
        });
        await app.StartAsync();
        return new DeskServer(app, folder, agentToken, inbox);
    }

    /// <summary>An HttpClient on the REST API as the bootstrap administrator.</summary>
    public HttpClient AdminHttp()
    {
        var http = new HttpClient { BaseAddress = BaseUrl };
        http.DefaultRequestHeaders.Add("api_access_token", AgentToken);
        return http;
    }

    /// <summary>A customer of the inbox, started (its contact made, connected).</summary>
    public async Task<CustomerSession> CustomerAsync(string name)
    {
        var customer = new CustomerSession(new CustomerSessionOptions { ServerUrl = BaseUrl, InboxIdentifier = InboxIdentifier, Name = name });
        _customers.Add(customer);
        await customer.StartAsync();
        return customer;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var customer in _customers) await customer.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp folder is cleaned with the run's.
        }
    }
}
