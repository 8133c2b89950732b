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
