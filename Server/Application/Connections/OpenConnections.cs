using System.Collections.Concurrent;

namespace ChatHub.Server.Application.Connections;

/// <summary>This node's open realtime connections, of every channel: what <see cref="AccessRecheck"/> walks when an
/// agent's or a contact's rights change. <see cref="Generation"/> counts the rechecks begun, so that a connection
/// admitted while one ran can tell it may have been missed (<see cref="ConnectionAdmission"/>).</summary>
public sealed class OpenConnections
{
    private readonly ConcurrentDictionary<OpenConnection, byte> _agents = new();
    private readonly ConcurrentDictionary<OpenConnection, byte> _contacts = new();
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    public int AgentCount => _agents.Count;

    internal void BeginRecheck() => Interlocked.Increment(ref _generation);

    public void Add(OpenConnection connection) => Of(connection)[connection] = 0;

    public void Remove(OpenConnection connection) => Of(connection).TryRemove(connection, out _);

    public IReadOnlyList<OpenConnection> OfAgent(long agentId) => _agents.Keys.Where(c => c.Caller.Id == agentId).ToList();

    public IReadOnlyList<OpenConnection> Agents() => _agents.Keys.ToList();

    public IReadOnlyList<OpenConnection> ContactsOfInbox(long inboxId) =>
        _contacts.Keys.Where(c => c.Caller.ContactInboxId == inboxId).ToList();

    private ConcurrentDictionary<OpenConnection, byte> Of(OpenConnection connection) => connection.Caller.IsAgent ? _agents : _contacts;
}
