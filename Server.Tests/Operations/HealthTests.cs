using System.Net;
using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Operations;

/// <summary>/healthz on a real server: the store is a check of its own (a read through the store contract, beside
/// Redis's behind a backplane: ScaleOut tests), and a store that stops answering turns the node unhealthy (503) so a
/// load balancer takes it out, while the reason stays in the server's log.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_reports_the_store_as_a_check_of_its_own()
    {
        await using var server = await ChatServer.StartAsync();

        var (status, body) = await HealthAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        var store = body.GetProperty("checks").GetProperty("store");
        Assert.Equal("healthy", store.GetProperty("status").GetString());
        Assert.False(body.GetProperty("checks").TryGetProperty("redis", out _)); // a single node has no backplane
    }

    [Fact]
    public async Task A_store_that_stops_answering_makes_the_node_unhealthy_with_503()
    {
        await using var cluster = await PostgresCluster.StartAsync(fsync: false);
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = cluster.ConnectionString("postgres"),
        });
        Assert.Equal(HttpStatusCode.OK, (await HealthAsync(server)).Status);

        await cluster.StopAsync();
        var (status, body) = await HealthAsync(server).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        var store = body.GetProperty("checks").GetProperty("store");
        Assert.Equal("unhealthy", store.GetProperty("status").GetString());
        Assert.StartsWith("unavailable:", store.GetProperty("description").GetString());
        Assert.DoesNotContain(cluster.Port.ToString(), body.GetRawText()); // where the store is stays in the log
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> HealthAsync(ChatServer server)
    {
        using var response = await server.Http.GetAsync("/healthz");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }
}
