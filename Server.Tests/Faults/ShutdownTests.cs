using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.Faults;

/// <summary>A graceful stop (SIGTERM, as systemd, Docker and Kubernetes stop a service) in the middle of a burst
/// of concurrent sends: the process exits with 0, and everything it acknowledged is there after a restart.</summary>
public sealed class ShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_during_a_burst_exits_0_and_keeps_every_acknowledged_message()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var burst = await SendBurst.PrepareAsync(server);

        burst.Start();
        await burst.WaitForAcknowledgedAsync(300);
        var exitCode = await server.TerminateAsync();
        output.WriteLine($"SIGTERM after {burst.AcknowledgedCount} acknowledgements; exit code {exitCode}");
        await burst.WaitForSendersAsync();
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{server.Log}");
        Assert.Empty(burst.UnexpectedErrors);
        Assert.DoesNotContain("fail:", server.Log); // nothing logged at Error or worse while stopping

        await using var restarted = await ServerProcess.StartAsync(server.DbPath, server.AgentToken, server.InboxIdentifier);
        var figures = await burst.VerifyAsync(restarted, output);
        Assert.Equal(figures.Acknowledged + figures.UnacknowledgedButCommitted, figures.FoundAfterRestart);
    }
}
