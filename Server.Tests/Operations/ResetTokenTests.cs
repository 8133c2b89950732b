using System.Diagnostics;
using System.Net;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Operations;

/// <summary>Access recovery: the command line prints a new token for an agent (the way back in when the only
/// administrator's token is lost), beside the running server, on the same database; and the REST API resets a token
/// for the agent itself or by an administrator. The old token stops working either way.</summary>
public sealed class ResetTokenTests
{
    [Fact]
    public async Task Reset_token_on_the_command_line_prints_a_new_token_and_the_old_one_stops_working()
    {
        await using var server = await ServerProcess.StartAsync();
        using var before = Authorized(server.BaseUrl, server.AgentToken);
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/v1/profile")).StatusCode);

        var (exitCode, stdout, stderr) = await ServerProcess.RunCommandLineAsync(server.DbPath, "reset-token", "ADMIN@example.com");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{stdout}\n{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("admin@example.com", lines[0]);
        var newToken = lines[^1];
        Assert.NotEqual(server.AgentToken, newToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/v1/profile")).StatusCode);
        using var after = Authorized(server.BaseUrl, newToken);
        var profile = await after.GetRead<AgentDto>("/api/v1/profile");
        Assert.Equal("admin@example.com", profile.Email);
    }

    [Fact]
    public async Task Reset_token_for_an_unknown_email_says_so_in_one_line_and_exits_1()
    {
        var dbPath = Path.Combine(TempDirectory.Create().Path, "chathub.db");

        var (exitCode, stdout, stderr) = await ServerProcess.RunCommandLineAsync(dbPath, "reset-token", "nobody@example.com");

        Assert.Equal(1, exitCode);
        Assert.Equal("reset-token: an agent with the email nobody@example.com not found", stderr.Trim());
        Assert.DoesNotContain("   at ", stdout + stderr);
    }

    private static HttpClient Authorized(Uri baseUrl, string token)
    {
        var http = new HttpClient { BaseAddress = baseUrl };
        http.DefaultRequestHeaders.Add("api_access_token", token);
        return http;
    }
}
