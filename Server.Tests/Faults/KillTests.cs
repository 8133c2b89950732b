using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.Faults;

/// <summary>API.md "Durable before acknowledged", the hard way: the server process is killed with SIGKILL in
/// the middle of a burst of concurrent sends, then restarted on the same store (the SQLite file, or the same
/// PostgreSQL database in <see cref="PostgresKillTests"/>).</summary>
public sealed class KillTests(ITestOutputHelper output)
{
    [Fact]
    public Task Every_acknowledged_message_survives_kill_9_exactly_once_with_gap_free_seqs() =>
        KillMidBurstAndVerifyAsync(output, settings: null);

    /// <summary>Starts a server with <paramref name="settings"/>, kills it with SIGKILL mid-burst, restarts it with the
    /// same settings on the same store, and checks every acknowledged message is there once with gap-free seqs.</summary>
    internal static async Task KillMidBurstAndVerifyAsync(ITestOutputHelper output, IDictionary<string, string>? settings)
    {
        await using var server = await ServerProcess.StartAsync(settings: settings);
        await using var burst = await SendBurst.PrepareAsync(server);

        burst.Start();
        await burst.WaitForAcknowledgedAsync(300);
        await server.KillAsync();
        output.WriteLine($"SIGKILL after {burst.AcknowledgedCount} acknowledgements (process exit code {server.ExitCode})");
        await burst.WaitForSendersAsync();
        Assert.Empty(burst.UnexpectedErrors);

        await using var restarted = await ServerProcess.StartAsync(server.DbPath, server.AgentToken, server.InboxIdentifier, settings);
        var figures = await burst.VerifyAsync(restarted, output);
        Assert.True(figures.Acknowledged >= 300);
        Assert.Equal(figures.Acknowledged + figures.UnacknowledgedButCommitted, figures.FoundAfterRestart);
        Assert.True(figures.FoundAfterRestart <= figures.Sent);
    }
}

/// <summary><see cref="KillTests"/> on PostgreSQL: the server killed mid-burst and restarted on the same database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresKillTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_acknowledged_message_survives_kill_9_exactly_once_with_gap_free_seqs_on_Postgres()
    {
        var database = await postgres.CreateDatabaseAsync();
        try
        {
            await KillTests.KillMidBurstAndVerifyAsync(output, new Dictionary<string, string>
            {
                ["Storage:Provider"] = "Postgres",
                ["Storage:Postgres:ConnectionString"] = postgres.ConnectionString(database),
            });
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }
}

/// <summary><see cref="KillTests"/> on LiteDB: the server killed mid-burst and restarted on the same file (its lock is
/// the dead process's, released by the kernel).</summary>
public sealed class LiteDbKillTests(ITestOutputHelper output)
{
    [Fact]
    public Task Every_acknowledged_message_survives_kill_9_exactly_once_with_gap_free_seqs_on_LiteDb() =>
        KillTests.KillMidBurstAndVerifyAsync(output, new Dictionary<string, string>
        {
            ["Storage:Provider"] = "LiteDb",
            ["Storage:LiteDb:Path"] = Path.Combine(TempDirectory.Create().Path, "chathub.litedb"),
        });
}
