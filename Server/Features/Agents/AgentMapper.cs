using ChatHub.Contracts;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Agents;

public static class AgentMapper
{
    /// <param name="connected">Who is connected now (<see cref="AgentPresence.Connected"/>): the availability shown is
    /// the effective one, the chosen one beside it.</param>
    public static AgentDto ToDto(AgentRow a, IReadOnlySet<long> connected) => new()
    {
        Id = a.Id, Name = a.Name, Email = a.Email, Role = a.Role, Availability = AgentPresence.EffectiveOf(a, connected),
        ChosenAvailability = a.Availability, Active = a.DeactivatedAt is null,
        DisplayName = string.IsNullOrWhiteSpace(a.DisplayName) ? null : a.DisplayName, AvatarUrl = AgentAvatars.UrlOf(a), PasswordSet = a.PasswordHash is not null,
    };
}
