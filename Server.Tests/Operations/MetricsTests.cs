using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Webhooks;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Operations;

/// <summary>/metrics in Prometheus' text format, from a real server after real traffic: ChatHub's instruments, ASP.NET
/// Core's and the runtime's; and who may scrape it. Other servers of the test run share the process (and so the
/// meters): the checks are on names and on counts being there, never on exact totals. They run alone
/// (<see cref="MetricsCollection"/>): the open-connections figure is an up-down counter that every server in the
/// process moves, and another test's server closing connections it opened before this server listened took it
/// below this test's own connection (CI, once).</summary>
[Collection(MetricsCollection.Name)]
public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_show_messages_connections_commits_rate_limits_and_the_frameworks_meters()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            [ChatServer.RateLimitsOn.Key] = "true",
            ["Limits:MessagesPerWindow"] = "1",
        });
        var contact = await server.CreateContact("Mia");
        var conversation = await server.StartConversation(contact, "hello");
        await using var customer = await HubSession.ConnectAsync(server, contact.PubsubToken);
        var refused = await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/messages", new { content = "too soon" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        var text = await server.Http.GetStringAsync("/metrics");

        Assert.True(Value(text, "chathub_messages_total", "kind=\"message\"", "sender=\"contact\"") >= 1, text);
        Assert.True(Value(text, "chathub_connections", "kind=\"customer\"") >= 1);
        Assert.True(Value(text, "chathub_store_commit_duration_seconds_count", "store=\"sqlite\"") >= 2);
        Assert.True(Value(text, "chathub_store_commit_batch_size_count", "store=\"sqlite\"") >= 2);
        Assert.True(Value(text, "chathub_rate_limit_rejections_total", "kind=\"messages\"") >= 1);
        Assert.Contains("chathub_push_queue", text);
        Assert.Contains("http_server_request_duration_seconds_bucket", text); // ASP.NET Core
        Assert.Contains("signalr_server_active_connections", text);
        Assert.Contains("dotnet_gc_collections_total", text); // the runtime
    }

    [Fact]
    public async Task With_a_scrape_token_metrics_need_it_as_a_bearer_token()
    {
        const string token = "scrape-secret-123";
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Metrics:ScrapeToken"] = token });

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync("/metrics")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "scrape-secret-124") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        var answer = await server.Http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("chathub_push_queue", await answer.Content.ReadAsStringAsync());
    }

    /// <summary>Spellings Kestrel and routing take to the Prometheus endpoint: case, a trailing slash, dot segments
    /// (Kestrel removes them) and percent-encoded letters (Kestrel decodes them). A gate on the path string
    /// "/metrics" let every one of these through.</summary>
    public static readonly string[] RoutedSpellings =
    [
        "/metrics", "/metrics/", "/Metrics", "/METRICS/", "/metrics/.", "/metrics/./", "/x/../metrics", "/%6Detrics",
        "/%6d%65%74%72%69%63%73/", "/metrics/%2e", "/metrics?x=1",
    ];

    /// <summary>Spellings that do not reach the endpoint at all (routing does not match them): refused whatever the
    /// caller holds, checked so that a framework change that starts routing them cannot pass unnoticed.</summary>
    public static readonly string[] UnroutedSpellings = ["/metrics//", "//metrics", "/metrics%2F", "/metrics%2f.", "/metrics.", "/metrics;x"];

    private const string RemoteClient = "203.0.113.7"; // as nginx on the same machine would forward it

    [Fact]
    public async Task Every_spelling_of_the_path_gets_the_loopback_rule()
    {
        await using var server = await ChatServer.StartAsync();

        foreach (var path in RoutedSpellings)
        {
            using var local = await Scrape(server, path);
            Assert.True(local.StatusCode == HttpStatusCode.OK, $"{path} from loopback: {(int)local.StatusCode}");
            Assert.Contains("chathub_push_queue", await local.Content.ReadAsStringAsync());
            using var remote = await Scrape(server, path, forwardedFor: RemoteClient);
            Assert.True(remote.StatusCode == HttpStatusCode.NotFound, $"{path} from {RemoteClient}: {(int)remote.StatusCode}");
            Assert.DoesNotContain("chathub_", await remote.Content.ReadAsStringAsync());
        }
        foreach (var path in UnroutedSpellings)
        {
            using var local = await Scrape(server, path);
            Assert.True(local.StatusCode == HttpStatusCode.NotFound, $"{path} from loopback: {(int)local.StatusCode}");
            Assert.DoesNotContain("chathub_", await local.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Every_spelling_of_the_path_needs_the_scrape_token()
    {
        const string token = "scrape-secret-456";
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Metrics:ScrapeToken"] = token });

        foreach (var path in RoutedSpellings)
        {
            using var without = await Scrape(server, path, forwardedFor: RemoteClient);
            Assert.True(without.StatusCode == HttpStatusCode.Unauthorized, $"{path} without the token: {(int)without.StatusCode}");
            Assert.DoesNotContain("chathub_", await without.Content.ReadAsStringAsync());
            using var with = await Scrape(server, path, forwardedFor: RemoteClient, token);
            Assert.True(with.StatusCode == HttpStatusCode.OK, $"{path} with the token: {(int)with.StatusCode}");
            Assert.Contains("chathub_push_queue", await with.Content.ReadAsStringAsync());
        }
        foreach (var path in UnroutedSpellings)
        {
            using var with = await Scrape(server, path, forwardedFor: RemoteClient, token);
            Assert.True(with.StatusCode == HttpStatusCode.NotFound, $"{path} with the token: {(int)with.StatusCode}");
        }
    }

    [Fact]
    public async Task With_a_metrics_port_metrics_are_served_there_only()
    {
        var metricsPort = WebhookReceiver.FreePort();
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:0;http://127.0.0.1:{metricsPort}",
            ["Metrics:Port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.NotEqual(metricsPort, server.BaseUrl.Port);
        using var onItsPort = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };

        foreach (var path in RoutedSpellings)
        {
            using var elsewhere = await Scrape(server, path);
            Assert.True(elsewhere.StatusCode == HttpStatusCode.NotFound, $"{path} on the main port: {(int)elsewhere.StatusCode}");
            // The Host header is the client's to choose: naming the metrics port in it changes nothing.
            using var hostNamed = await Scrape(server, path, host: $"127.0.0.1:{metricsPort}");
            Assert.True(hostNamed.StatusCode == HttpStatusCode.NotFound, $"{path} naming the port in Host: {(int)hostNamed.StatusCode}");
        }
        using var served = await onItsPort.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Contains("chathub_push_queue", await served.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/healthz")).StatusCode); // the rest stays where it was
    }

    /// <summary>GET <paramref name="path"/> exactly as written: System.Uri would otherwise remove dot segments and
    /// decode letters before sending, and the server would never see the spelling under test.</summary>
    private static async Task<HttpResponseMessage> Scrape(ChatServer server, string path, string? forwardedFor = null,
        string? token = null, string? host = null)
    {
        var uri = new Uri($"http://127.0.0.1:{server.BaseUrl.Port}{path}", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (host is not null) request.Headers.Host = host;
        return await server.Http.SendAsync(request);
    }

    [Fact]
    public async Task Metrics_can_be_turned_off()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?> { ["Metrics:Enabled"] = "false" });

        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/metrics")).StatusCode);
    }

    /// <summary>The sum of a metric's samples whose labels include all of <paramref name="labels"/>.</summary>
    private static double Value(string text, string name, params string[] labels) =>
        Sample().Matches(text).Where(m => m.Groups["name"].Value == name && labels.All(l => m.Groups["labels"].Value.Contains(l)))
            .Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{(?<labels>[^}]*)\} (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics, alone";
}
