using ChatHub.Server.Identity;

namespace ChatHub.Server.Application.Connections;

/// <summary>What a channel lets the access rules do with one of its open connections (a hub connection, a /cable
/// subscription).</summary>
public interface IConnectionControl
{
    /// <summary>Ends the connection at once: its caller may no longer act.</summary>
    void Close();

    /// <summary>Starts delivering a stream's events to the connection (on every node, behind a backplane).</summary>
    Task JoinAsync(string stream);

    Task LeaveAsync(string stream);
}

/// <summary>An open realtime connection of this node, as the access rules see it: who opened it, the streams it listens
/// to, and whether it was revoked. A revoked connection is closed, and any call still arriving on it is refused.</summary>
public sealed class OpenConnection(Caller caller, IConnectionControl control)
{
    private readonly Lock _lock = new();
    private HashSet<string> _streams = new(StringComparer.Ordinal);
    private volatile bool _revoked;

    public Caller Caller { get; } = caller;

    public bool IsRevoked => _revoked;

    public IReadOnlyCollection<string> Streams
    {
        get { lock (_lock) return _streams.ToList(); }
    }

    public void Revoke()
    {
        _revoked = true;
        control.Close();
    }

    /// <summary>Joins the streams it should hear and leaves those it should not any more.</summary>
    public async Task SyncStreamsAsync(IReadOnlyList<string> wanted)
    {
        List<string> join, leave;
        lock (_lock)
        {
            join = wanted.Where(s => !_streams.Contains(s)).ToList();
            leave = _streams.Where(s => !wanted.Contains(s)).ToList();
            _streams = new HashSet<string>(wanted, StringComparer.Ordinal);
        }
        foreach (var stream in join) await control.JoinAsync(stream);
        foreach (var stream in leave) await control.LeaveAsync(stream);
    }
}
