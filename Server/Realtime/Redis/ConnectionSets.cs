using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Realtime.Redis;

/// <summary>This node's connections by name: its groups, or its users. Add and Remove say whether membership
/// changed, which is what the Redis subscription of that name is counted by.</summary>
public sealed class ConnectionSets
{
    private readonly Dictionary<string, Dictionary<string, HubConnectionContext>> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _namesOf = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <returns>True when the connection was not in the set before.</returns>
    public bool Add(string name, HubConnectionContext connection)
    {
        lock (_lock)
        {
            if (!_members.TryGetValue(name, out var members)) _members[name] = members = new(StringComparer.Ordinal);
            if (!members.TryAdd(connection.ConnectionId, connection)) return false;
            if (!_namesOf.TryGetValue(connection.ConnectionId, out var names)) _namesOf[connection.ConnectionId] = names = new(StringComparer.Ordinal);
            names.Add(name);
            return true;
        }
    }

    /// <returns>True when the connection was in the set.</returns>
    public bool Remove(string name, HubConnectionContext connection)
    {
        lock (_lock)
        {
            if (!_members.TryGetValue(name, out var members) || !members.Remove(connection.ConnectionId)) return false;
            if (members.Count == 0) _members.Remove(name);
            if (_namesOf.TryGetValue(connection.ConnectionId, out var names) && names.Remove(name) && names.Count == 0)
                _namesOf.Remove(connection.ConnectionId);
            return true;
        }
    }

    /// <summary>Takes the connection out of every set; returns the names it was in.</summary>
    public IReadOnlyList<string> RemoveAll(HubConnectionContext connection)
    {
        lock (_lock)
        {
            if (!_namesOf.Remove(connection.ConnectionId, out var names)) return [];
            foreach (var name in names)
            {
                if (_members.TryGetValue(name, out var members) && members.Remove(connection.ConnectionId) && members.Count == 0)
                    _members.Remove(name);
            }
            return [.. names];
        }
    }

    /// <summary>A snapshot, so sends never hold the lock.</summary>
    public HubConnectionContext[] Members(string name)
    {
        lock (_lock) return _members.TryGetValue(name, out var members) ? [.. members.Values] : [];
    }
}
