using System.Net.Http.Headers;
using ChatHub.Server;
using ChatHub.Server.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>A real ChatHub server on Kestrel, on a free loopback port, with its own database (a SQLite file, or the
/// store <see cref="TestStore"/> names).
/// Dispose stops it; the database file stays until the test's <see cref="TempDirectory"/> goes.</summary>
public sealed class ChatServer : IAsyncDisposable
{
    private ChatServer(WebApplication app, string dbPath, string agentToken, string inboxIdentifier, string hmacToken)
    {
        App = app;
        DbPath = dbPath;
        AgentToken = agentToken;
        InboxIdentifier = inboxIdentifier;
        HmacToken = hmacToken;
        BaseUrl = new Uri(app.Urls.First().Replace("[::]", "127.0.0.1"));
        Http = new HttpClient { BaseAddress = BaseUrl };
    }

    public WebApplication App { get; }
    public Uri BaseUrl { get; }
    public string DbPath { get; }
    /// <summary>The bootstrap administrator's access token (agent id 1, member of inbox 1).</summary>
    public string AgentToken { get; }
    public string InboxIdentifier { get; }
    public string HmacToken { get; }
    public HttpClient Http { get; }

    public string ClientApi => $"/public/api/v1/inboxes/{InboxIdentifier}";

    /// <summary>Turns the rate limits on (with their production defaults unless other settings follow).</summary>
    public static readonly KeyValuePair<string, string?> RateLimitsOn = new("Limits:RateLimitsEnabled", "true");

    /// <param name="dbPath">Reuse a database file (restart tests); a fresh one by default.</param>
    /// <param name="settings">Configuration overrides, e.g. ["Limits:MessagesPerWindow"] = "3" (with
    /// <see cref="RateLimitsOn"/>: rate limits are off by default in tests).</param>
    public static async Task<ChatServer> StartAsync(string? dbPath = null, IDictionary<string, string?>? settings = null,
        string? agentToken = null, string? inboxIdentifier = null, string? hmacToken = null)
    {
        dbPath ??= Path.Combine(TempDirectory.Create().Path, "chathub.db");
        agentToken ??= Tokens.NewSecret();
        inboxIdentifier ??= Tokens.NewIdentifier();
        hmacToken ??= Tokens.NewSecret();
        var config = await SettingsAsync(dbPath, agentToken, inboxIdentifier, hmacToken, settings);
        config.TryAdd("Urls", "http://127.0.0.1:0"); // a free loopback port, unless the test's settings name the URLs

        var app = await ChatHubApp.BuildAsync([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole();
        });
        await app.StartAsync();
        return new ChatServer(app, dbPath, agentToken, inboxIdentifier, hmacToken);
    }

    /// <summary>The configuration of a test server (also the in-process <see cref="UseCaseHost"/>'s): its bootstrap
    /// secrets, rate limits off, quiet logs, the store <see cref="TestStore"/> names, then <paramref name="settings"/>.</summary>
    public static async Task<Dictionary<string, string?>> SettingsAsync(string dbPath, string agentToken, string inboxIdentifier,
        string hmacToken, IDictionary<string, string?>? settings)
    {
        var config = new Dictionary<string, string?>
        {
            ["Bootstrap:AgentAccessToken"] = agentToken,
            ["Bootstrap:InboxIdentifier"] = inboxIdentifier,
            ["Bootstrap:HmacToken"] = hmacToken,
            ["Limits:RateLimitsEnabled"] = "false", // tests that test a limit turn them on
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:ChatHub.Server.Bootstrap"] = "Error",
        };
        foreach (var (key, value) in await TestStore.SettingsAsync(dbPath)) config[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;
        return config;
    }

    /// <summary>An HttpClient that sends the agent API's api_access_token header.</summary>
    public HttpClient AgentHttp(string accessToken)
    {
        var http = new HttpClient { BaseAddress = BaseUrl };
        http.DefaultRequestHeaders.Add("api_access_token", accessToken);
        return http;
    }

    public HttpClient BearerHttp(string token)
    {
        var http = new HttpClient { BaseAddress = BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
