using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using ChatHub.Server.Realtime;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Agents;

/// <summary>Agents: profile, creation by administrators (the access token is shown once), availability.</summary>
public sealed class AgentService(IChatStore store, EventPublisher publisher, RateLimits rateLimits)
{
    private readonly CreateAgentValidator _createValidator = new();

    public AgentDto Profile(Caller caller)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
        var agent = store.Read(r => r.GetAgent(caller.Id)) ?? throw ChatException.NotFound("agent");
        return ToDto(agent) with { PubsubToken = agent.PubsubToken };
    }

    public async Task<AgentDto> CreateAsync(Caller caller, CreateAgentCommand command)
    {
        InboxService.RequireAdministrator(caller);
        _createValidator.ValidateOrThrow(command);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
        var accessToken = Tokens.NewSecret();
        var agent = await store.WriteAsync(w => Create(w, command, accessToken));
        return ToDto(agent) with { AccessToken = accessToken };
    }

    /// <summary>Also used by the bootstrap, which may bring its own access token.</summary>
    public static AgentRow Create(IChatWriter w, CreateAgentCommand command, string accessToken)
    {
        if (w.FindAgentByEmail(command.Email!) is not null) throw ChatException.Conflict("an agent with this email exists");
        var agent = new AgentRow
        {
            Name = command.Name!,
            Email = command.Email!,
            Role = command.Role ?? AgentRoles.Agent,
            AccessTokenHash = Tokens.LookupHash(accessToken),
            PubsubToken = Tokens.NewSecret(),
            Availability = Availabilities.Offline,
            CreatedAt = Clock.NowMs(),
        };
        agent.Id = w.InsertAgent(agent);
        return agent;
    }

    public IReadOnlyList<long> InboxIdsOf(Caller caller) => store.Read(r => r.InboxIdsOfAgent(caller.Id));

    public async Task SetAvailabilityAsync(Caller caller, string? availability)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("only agents have an availability");
        if (availability is null || !Availabilities.All.Contains(availability))
            throw ChatException.Invalid("availability", "availability must be online, busy or offline");
        rateLimits.Check(RateLimitedAction.ConversationChange, caller.Key);
        await store.WriteAsync(w =>
        {
            w.SetAvailability(caller.Id, availability);
            var presence = new PresenceEvent { AgentId = caller.Id, Availability = availability };
            w.AfterCommit(() => publisher.PublishToGroup(Groups.Agents, x => x.PresenceChanged(presence)));
            return presence;
        });
    }

    private static AgentDto ToDto(AgentRow a) => new()
    {
        Id = a.Id, Name = a.Name, Email = a.Email, Role = a.Role, Availability = a.Availability,
    };
}
