using ChatHub.Server.Identity;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Channels.Hub;

/// <summary>SignalR user ids: "agent:{id}" and "contact:{id}". The default (the NameIdentifier claim, a bare
/// number) would give agent 1 and contact 1 the same id; a backplane addresses users across nodes by it.</summary>
public static class ChatUserIds
{
    public static string Agent(long agentId) => $"agent:{agentId}";
    public static string Contact(long contactId) => $"contact:{contactId}";
    public static string Of(Caller caller) => caller.IsAgent ? Agent(caller.Id) : Contact(caller.Id);
}

public sealed class ChatUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.User.HasClaim(c => c.Type == TokenAuthenticationHandler.KindClaim)
            ? ChatUserIds.Of(TokenAuthenticationHandler.FromPrincipal(connection.User))
            : null;
}
