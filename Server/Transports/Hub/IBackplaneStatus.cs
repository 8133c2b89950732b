namespace ChatHub.Server.Transports.Hub;

/// <summary>Whether the backplane that links this node to the others works (README "Scale-out"). Registered only
/// when the node runs behind one; a single node has none.</summary>
public interface IBackplaneStatus
{
    /// <summary>This node hears the other nodes and they hear it.</summary>
    bool IsHealthy { get; }

    /// <summary>Raised each time the backplane turns healthy (at start, and after every outage), once this node
    /// hears the other nodes again.</summary>
    event Action? BecameHealthy;
}
