using ChatHub.Contracts;

namespace ChatHub.Server.Chatwoot;

/// <summary>An agent's own profile as Chatwoot renders it (<c>api/v1/profiles/show</c> -> the
/// <c>app/views/api/v1/models/_user.json.jbuilder</c> partial): integrations read the account id and the user's
/// <c>pubsub_token</c> (to subscribe RoomChannel on /cable) here. <c>access_token</c> is the caller's own, the one it
/// authenticated this request with (ChatHub stores only its hash). ChatHub's own fields (<c>availability</c>,
/// <c>chosen_availability</c>, <c>active</c>) stay, so ChatHub's clients read the same answer.</summary>
public static class UserProfileShape
{
    /// <summary><c>_user.json.jbuilder</c>'s fields, in its order, then ChatHub's.</summary>
    public sealed record User(
        string AccessToken,
        long AccountId,
        string AvailableName,
        string AvatarUrl,
        bool Confirmed,
        string DisplayName,
        string? MessageSignature,
        string Email,
        long Id,
        long? InviterId,
        string Name,
        string Provider,
        string? PubsubToken,
        string Role,
        Dictionary<string, object> UiSettings,
        string Uid,
        string? Type,
        IReadOnlyList<Account> Accounts,
        string AvailabilityStatus,
        string Availability,
        string ChosenAvailability,
        bool Active);

    /// <summary>One <c>accounts[]</c> entry (<c>account_user</c>): ChatHub is one account.</summary>
    public sealed record Account(
        long Id, string Name, string Status, long? ActiveAt, string Role, IReadOnlyList<string> Permissions, string Availability,
        string AvailabilityStatus, bool AutoOffline);

    /// <param name="agent">The agent's own view (<c>GetProfile</c>: with its pubsub token).</param>
    /// <param name="accessToken">The token the caller authenticated with.</param>
    public static User For(AgentDto agent, string accessToken) => new(
        AccessToken: accessToken,
        AccountId: ChatwootAccount.Id,
        AvailableName: agent.DisplayName ?? agent.Name, // User#available_name: display_name, else name
        AvatarUrl: agent.AvatarUrl ?? "",     // a path on this server (/avatars/...), or none
        Confirmed: true,                      // no e-mail confirmation step: an agent exists once an administrator creates it
        DisplayName: agent.DisplayName ?? agent.Name,
        MessageSignature: null,
        Email: agent.Email,
        Id: agent.Id,
        InviterId: null,
        Name: agent.Name,
        Provider: "email",                    // devise_token_auth's provider for e-mail users
        PubsubToken: agent.PubsubToken,
        Role: agent.Role,                     // account_user.role: "administrator" or "agent", as ChatHub's roles
        UiSettings: [],
        Uid: agent.Email,                     // devise_token_auth's uid is the e-mail
        Type: null,                           // User#type (STI): null for every user but a super admin
        Accounts:
        [
            new Account(ChatwootAccount.Id, ChatwootAccount.Name, "active", ActiveAt: null, agent.Role, [agent.Role],
                agent.ChosenAvailability, agent.Availability, AutoOffline: true),
        ],
        // availability_status is what others see (offline when not connected: auto_offline is always on in ChatHub), as
        // ChatHub's availability; the pick is chosen_availability (Chatwoot's accounts[].availability).
        AvailabilityStatus: agent.Availability,
        Availability: agent.Availability,
        ChosenAvailability: agent.ChosenAvailability,
        Active: agent.Active);
}
