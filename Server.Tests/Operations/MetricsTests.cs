using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Operations;

/// <summary>/metrics in Prometheus' text format, from a real server after real traffic: ChatHub's instruments, ASP.NET
/// Core's and the runtime's; and who may scrape it. Other servers of the test run share the process (and so the
/// meters): the checks are on names and on counts being there, never on exact totals.</summary>
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
