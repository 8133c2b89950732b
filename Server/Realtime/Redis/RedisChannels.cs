namespace ChatHub.Server.Realtime.Redis;

/// <summary>The Redis channel names of one hub under the configured prefix: one for all connections, one per group,
/// per connection, per user, and one per node (acknowledgements come back on it).</summary>
public sealed class RedisChannels(string prefix, string hubName)
{
    private readonly string _root = $"{prefix}:{hubName}:";

    public string All => _root + "all";
    public string Group(string groupName) => _root + "group:" + groupName;
    public string Connection(string connectionId) => _root + "connection:" + connectionId;
    public string User(string userId) => _root + "user:" + userId;
    public string Node(string nodeId) => _root + "node:" + nodeId;
}
