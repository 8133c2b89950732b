namespace ChatHub.Server.Realtime;

/// <summary>Adds every connection of a user, on every node, to a group (an agent added to an inbox starts receiving
/// its events without reconnecting). Implemented by a lifetime manager that spans nodes; on a single node,
/// <see cref="AgentConnections"/> does it with its own registry.</summary>
public interface IUserGroupManager
{
    Task AddUserToGroupAsync(string userId, string groupName, CancellationToken cancellationToken = default);
}
