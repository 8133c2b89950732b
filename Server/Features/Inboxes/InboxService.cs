using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Realtime;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Inboxes;

/// <summary>Inboxes: the public widget view, and the administrators' create / list / add members.</summary>
public sealed class InboxService(IChatStore store, AgentConnections agentConnections, RateLimits rateLimits)
{
    private readonly CreateInboxValidator _createValidator = new();
    private readonly AddMembersValidator _membersValidator = new();

    public InboxDto GetPublic(string identifier) => InboxMapper.ToPublicDto(
        (identifier.Length <= 64 ? store.Read(r => r.FindInboxByIdentifier(identifier)) : null) ?? throw ChatException.NotFound("inbox"));

    public IReadOnlyList<InboxAdminDto> List(Caller caller)
    {
        RequireAdministrator(caller);
        return store.Read(r => r.ListInboxes()).Select(InboxMapper.ToAdminDto).ToList();
    }

    public async Task<InboxAdminDto> CreateAsync(Caller caller, CreateInboxCommand command)
    {
        RequireAdministrator(caller);
        _createValidator.ValidateOrThrow(command);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
        var inbox = await store.WriteAsync(w => Create(w, command, identifier: null, hmacToken: null));
        return InboxMapper.ToAdminDto(inbox);
    }

    /// <summary>Also used by the bootstrap, which may bring its own identifier and HMAC token.</summary>
    public static InboxRow Create(IChatWriter w, CreateInboxCommand command, string? identifier, string? hmacToken)
    {
        var inbox = new InboxRow
        {
            Identifier = string.IsNullOrEmpty(identifier) ? Tokens.NewIdentifier() : identifier,
            Name = command.Name!,
            HmacToken = string.IsNullOrEmpty(hmacToken) ? Tokens.NewSecret() : hmacToken,
            HmacMandatory = command.HmacMandatory ?? false,
            Timezone = command.Timezone ?? "UTC",
            WorkingHoursEnabled = command.WorkingHours is { Count: > 0 },
            WorkingHours = command.WorkingHours is null ? null : JsonSerializer.Serialize(command.WorkingHours),
            GreetingEnabled = !string.IsNullOrEmpty(command.GreetingMessage),
            GreetingMessage = command.GreetingMessage,
            CreatedAt = Clock.NowMs(),
        };
        if (w.FindInboxByIdentifier(inbox.Identifier) is not null) throw ChatException.Conflict("an inbox with this identifier exists");
        inbox.Id = w.InsertInbox(inbox);
        return inbox;
    }

    public async Task<IReadOnlyList<long>> AddMembersAsync(Caller caller, AddMembersCommand command)
    {
        RequireAdministrator(caller);
        _membersValidator.ValidateOrThrow(command);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
        var members = await store.WriteAsync(w =>
        {
            if (w.GetInbox(command.InboxId) is null) throw ChatException.NotFound("inbox");
            foreach (var agentId in command.AgentIds!.Distinct())
            {
                if (w.GetAgent(agentId) is null) throw ChatException.Invalid("agent_ids", $"agent {agentId} does not exist");
                w.AddMember(command.InboxId, agentId);
            }
            return w.MembersOf(command.InboxId);
        });
        foreach (var agentId in command.AgentIds!.Distinct()) await agentConnections.JoinInboxAsync(agentId, command.InboxId);
        return members;
    }

    public static void RequireAdministrator(Caller caller)
    {
        if (!caller.IsAgent || !caller.IsAdministrator) throw ChatException.Forbidden("administrators only");
    }
}
