using System.Net.Http.Json;
using System.Text.Json;
using ChatHub.Client;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>Closed tells the app's own stop (null) from a close by the server (a revoked token, say), which the
/// official client reports with null too: an app shows "signed out" for one and "disconnected" for the other.</summary>
public sealed class ServerCloseTests
{
    [Fact]
    public async Task A_token_reset_while_connected_closes_the_session_with_a_reason_and_a_restart_is_refused()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AgentHttp(server.AgentToken);
        var created = await admin.PostAsJsonAsync("/api/v1/agents", new { name = "Bea Agent", email = "bea@example.com", role = "agent" });
        created.EnsureSuccessStatusCode();
        using var bea = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        await using var session = new AgentSession(new AgentSessionOptions
        {
            ServerUrl = server.BaseUrl,
            AccessToken = bea.RootElement.GetProperty("access_token").GetString()!,
        });
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        await session.StartAsync();

        var reset = await admin.PostAsync($"/api/v1/agents/{bea.RootElement.GetProperty("id").GetInt64()}/reset_access_token", null);
        reset.EnsureSuccessStatusCode();

        Assert.IsType<ChatHubConnectionClosedException>(await closed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<ChatHubUnauthorizedException>(() => session.StartAsync());
    }

    [Fact]
    public async Task The_apps_own_stop_closes_the_session_with_null()
    {
        await using var server = await ChatServer.StartAsync();
        await using var session = new AgentSession(new AgentSessionOptions { ServerUrl = server.BaseUrl, AccessToken = server.AgentToken });
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        await session.StartAsync();

        await session.StopAsync();

        Assert.Null(await closed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
