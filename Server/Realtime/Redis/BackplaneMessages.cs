using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Realtime.Redis;

/// <summary>What nodes tell each other over Redis. <see cref="Sender"/> is the publishing node, so a node skips
/// its own pushes (it delivered them locally already) and knows where to send an acknowledgement.</summary>
public abstract record BackplaneMessage(string Sender);

/// <summary>A push, serialised once per hub protocol, minus the connections that must not receive it.</summary>
public sealed record InvocationEnvelope(string Sender, IReadOnlyList<SerializedMessage> PerProtocol, IReadOnlyList<string> Excluded)
    : BackplaneMessage(Sender)
{
    public SerializedHubMessage ToHubMessage() => new(PerProtocol);
}

public enum GroupAction : byte
{
    /// <summary>Add the connection <see cref="GroupCommand.Target"/> to the group.</summary>
    Add = 1,
    /// <summary>Remove the connection <see cref="GroupCommand.Target"/> from the group.</summary>
    Remove = 2,
    /// <summary>Add every connection of the user <see cref="GroupCommand.Target"/> to the group.</summary>
    AddUser = 3,
}

/// <summary>A group change for connections on another node; that node answers with an <see cref="Ack"/>.</summary>
public sealed record GroupCommand(string Sender, int Id, GroupAction Action, string GroupName, string Target) : BackplaneMessage(Sender);

public sealed record Ack(string Sender, int Id) : BackplaneMessage(Sender);
