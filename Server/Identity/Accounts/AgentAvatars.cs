using ChatHub.Server.Storage;

namespace ChatHub.Server.Identity.Accounts;

/// <summary>Where an agent's avatar is served: <c>/avatars/{token}</c>, a random token that changes with each new image,
/// so the image may be cached for good and a replaced one is never shown. Public (customers' widgets show it).</summary>
public static class AgentAvatars
{
    public const string PathPrefix = "/avatars";

    public static string? UrlOf(AgentRow agent) => agent.AvatarToken is { } token ? $"{PathPrefix}/{token}" : null;

    /// <summary>Chatwoot's <c>available_name</c>: the display name, else the name.</summary>
    public static string AvailableName(AgentRow agent) => string.IsNullOrWhiteSpace(agent.DisplayName) ? agent.Name : agent.DisplayName;
}
