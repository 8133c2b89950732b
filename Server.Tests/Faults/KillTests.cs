using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.Faults;

/// <summary>API.md "Durable before acknowledged", the hard way: the server process is killed with SIGKILL in
/// the middle of a burst of concurrent sends, then restarted on the same SQLite file.</summary>
public sealed class KillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_acknowledged_message_survives_kill_9_exactly_once_with_gap_free_seqs()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var burst = await SendBurst.PrepareAsync(server);

        burst.Start();
        await burst.WaitForAcknowledgedAsync(300);
        await server.KillAsync();
        output.WriteLine($"SIGKILL after {burst.AcknowledgedCount} acknowledgements (process exit code {server.ExitCode})");
        await burst.WaitForSendersAsync();
        Assert.Empty(burst.UnexpectedErrors);

        await using var restarted = await ServerProcess.StartAsync(server.DbPath, server.AgentToken, server.InboxIdentifier);
        var figures = await burst.VerifyAsync(restarted, output);
        Assert.True(figures.Acknowledged >= 300);
        Assert.Equal(figures.Acknowledged + figures.UnacknowledgedButCommitted, figures.FoundAfterRestart);
        Assert.True(figures.FoundAfterRestart <= figures.Sent);
    }
}
