namespace ChatHub.Server.ScaleOut;

/// <summary>Whether the backplane that links this node to the others works (docs/architecture.md, "Scale-out: how it works"). Registered only
/// when the node runs behind one; a single node has none. The channels use it and nothing else of the scale-out:
/// while it is unhealthy they refuse new connections (503), and each time it turns healthy again each makes good what
/// the outage cost its own clients (the hub closes its connections and sends its failed pushes again, /cable tells
/// its sockets to reconnect).</summary>
public interface IBackplaneStatus
{
    /// <summary>This node hears the other nodes and they hear it.</summary>
    bool IsHealthy { get; }

    /// <summary>Raised each time the backplane turns healthy (at start, and after every outage), once this node
    /// hears the other nodes again.</summary>
    event Action? BecameHealthy;
}
