using ChatHub.Server.Application.Events;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Application.Connections;

/// <summary>Makes this node's open connections match what the store says now: a connection whose caller may no
/// longer act (<see cref="CredentialRules.StillValidAsync"/>) is revoked, the others listen to exactly the streams
/// <see cref="Streams"/> gives their caller (an agent removed from an inbox stops hearing it, one added starts). One
/// recheck at a time on a node, each reading the store after the one before applied its result, so a later change is
/// never undone by an earlier, slower recheck.</summary>
public sealed class AccessRecheck(IChatStore store, OpenConnections open, ILogger<AccessRecheck> logger)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task RecheckHereAsync(AccessScope scope)
    {
        open.BeginRecheck();
        await _oneAtATime.WaitAsync();
        try
        {
            var connections = scope switch
            {
                AccessScope.Agent a => open.OfAgent(a.AgentId),
                AccessScope.ContactsOfInbox i => open.ContactsOfInbox(i.InboxId),
                _ => [],
            };
            foreach (var connection in connections) await ApplyAsync(connection);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>One connection (one admitted while a recheck ran, which may have missed it).</summary>
    public async Task RecheckAsync(OpenConnection connection)
    {
        await _oneAtATime.WaitAsync();
        try
        {
            await ApplyAsync(connection);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task ApplyAsync(OpenConnection connection)
    {
        if (connection.IsRevoked) return;
        var streams = await store.ReadAsync(reader => AllowedStreamsAsync(reader, connection.Caller));
        if (streams is null)
        {
            logger.LogInformation("A {Kind}'s connection was closed: its credentials are no longer valid", connection.Caller.Kind);
            connection.Revoke();
            return;
        }
        await connection.SyncStreamsAsync(streams);
    }

    /// <summary>The streams a caller may hear now, or null when it may no longer act.</summary>
    public static async ValueTask<IReadOnlyList<string>?> AllowedStreamsAsync(IStoreReader reader, Caller caller) =>
        await CredentialRules.StillValidAsync(reader, caller) ? await Streams.OfAsync(reader, caller) : null;
}
