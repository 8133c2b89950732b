using ChatHub.Contracts;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Agents;

public static class AgentMapper
{
    public static AgentDto ToDto(AgentRow a) => new()
    {
        Id = a.Id, Name = a.Name, Email = a.Email, Role = a.Role, Availability = a.Availability, Active = a.DeactivatedAt is null,
        DisplayName = string.IsNullOrWhiteSpace(a.DisplayName) ? null : a.DisplayName, AvatarUrl = AgentAvatars.UrlOf(a), PasswordSet = a.PasswordHash is not null,
    };
}
