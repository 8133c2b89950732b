using ChatHub.Contracts;

namespace ChatHub.Server.Chatwoot;

/// <summary>An agent, which Chatwoot calls a user, as <c>User#push_event_data</c> (app/models/user.rb): the sender
/// of an agent's message, a typist, a conversation's assignee in push data.</summary>
public sealed record UserPushData(
    long Id, string Name, string AvailableName, string AvatarUrl, string Type, string AvailabilityStatus, string Thumbnail);

/// <summary>An agent as the <c>_agent</c> partial (app/views/api/v1/models/_agent.json.jbuilder): the assignment
/// answer and an application API conversation's <c>meta.assignee</c>. ChatHub's agents confirm no e-mail (confirmed
/// true); thumbnail is the avatar an agent chose (a path on this server). As an assignee (<see cref="Agent(SenderDto)"/>)
/// its availability_status is what the agent chose (auto_offline false); in the agent lists (ChatwootDirectory) it is the
/// effective one (auto_offline true).</summary>
public sealed record AgentData(
    long Id, long AccountId, string AvailabilityStatus, bool AutoOffline, bool Confirmed, string? Email, string AvailableName,
    string Name, string? Role, string Thumbnail);

/// <summary>An agent in a webhook body: <c>User#webhook_data</c> (id, name, email, type) with the push data's
/// fields beside it.</summary>
public sealed record UserWebhookData(
    long Id, string Name, string AvailableName, string AvatarUrl, string Type, string AvailabilityStatus, string Thumbnail, string? Email);

public static class ChatwootUser
{
    public const string Type = "user";

    /// <param name="agent">An agent as a sender or assignee (its name and availability).</param>
    public static UserPushData PushData(SenderDto agent) => new(agent.Id, agent.Name ?? "", agent.Name ?? "", agent.AvatarUrl ?? "", Type,
        agent.Availability ?? Availabilities.Offline, agent.AvatarUrl ?? "");

    /// <param name="assignee">An assignee as agents see it (with its e-mail and role, <see cref="SenderDto"/>).</param>
    public static AgentData Agent(SenderDto assignee) => new(assignee.Id, ChatwootAccount.Id,
        assignee.Availability ?? Availabilities.Offline, false, true, assignee.Email, assignee.Name ?? "", assignee.Name ?? "",
        assignee.Role, assignee.AvatarUrl ?? "");

    public static UserWebhookData WebhookData(SenderDto agent, string? email)
    {
        var push = PushData(agent);
        return new(push.Id, push.Name, push.AvailableName, push.AvatarUrl, push.Type, push.AvailabilityStatus, push.Thumbnail, email);
    }
}
