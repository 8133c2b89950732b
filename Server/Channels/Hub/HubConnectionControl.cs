using ChatHub.Contracts;
using ChatHub.Server.Application.Connections;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Channels.Hub;

/// <summary>One hub connection as the access rules drive it: its streams are SignalR groups (joined through the
/// lifetime manager, so behind Redis the node subscribes to them), and closing it aborts it.</summary>
public sealed class HubConnectionControl(HubCallerContext context, IHubContext<ChatHub, IChatClient> hub) : IConnectionControl
{
    public void Close() => context.Abort();

    public Task JoinAsync(string stream) => hub.Groups.AddToGroupAsync(context.ConnectionId, stream);

    public Task LeaveAsync(string stream) => hub.Groups.RemoveFromGroupAsync(context.ConnectionId, stream);
}
