using ChatHub.Server.Application.Presence;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Application.Connections;

/// <summary>Lets a realtime connection in, for every channel: checks its caller's credentials once more (they may have
/// been revoked since its request was authenticated), joins it to the streams its caller may hear and registers it
/// with <see cref="OpenConnections"/>, so that a later change of rights reaches it. An agent's connections are also
/// what makes them present (<see cref="PresenceTracker"/>), whatever the channel.</summary>
public sealed class ConnectionAdmission(IChatStore store, OpenConnections open, AccessRecheck recheck, PresenceTracker presence)
{
    /// <summary>The admitted connection, or null when its caller may not act (refuse it).</summary>
    public async Task<OpenConnection?> AdmitAsync(Caller caller, IConnectionControl control)
    {
        var generation = open.Generation;
        var streams = await store.ReadAsync(reader => AccessRecheck.AllowedStreamsAsync(reader, caller));
        if (streams is null) return null;
        var connection = new OpenConnection(caller, control);
        await connection.SyncStreamsAsync(streams);
        open.Add(connection);
        // A recheck that began after this read may have walked the connections before this one was added: do its part.
        if (open.Generation != generation) await recheck.RecheckAsync(connection);
        if (connection.IsRevoked)
        {
            open.Remove(connection);
            return null;
        }
        if (caller.IsAgent) await presence.OpenedAsync(caller.Id);
        return connection;
    }

    /// <summary>Once per admitted connection, when it ends.</summary>
    public void Release(OpenConnection connection)
    {
        open.Remove(connection);
        if (connection.Caller.IsAgent) presence.Closed(connection.Caller.Id);
    }
}
