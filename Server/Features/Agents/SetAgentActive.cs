using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using FluentValidation;

namespace ChatHub.Server.Features.Agents;

/// <summary>An administrator deactivates an agent (someone who left: its token opens nothing, REST or hub, its sessions and links end, and it shows
/// offline) or reactivates it (the same token works again). Its conversations and messages stay. An administrator
/// cannot deactivate itself, so a server always keeps a way in. A deactivated agent's open connections are closed, on every
/// node, before the administrator is answered.</summary>
public sealed record SetAgentActive(long AgentId, bool? Active) : ICommand<AgentDto>;

public sealed class SetAgentActiveValidator : AbstractValidator<SetAgentActive>
{
    public SetAgentActiveValidator()
    {
        RuleFor(c => c.Active).NotNull().WithMessage("active must be true or false").OverridePropertyName("active");
    }
}

public sealed class SetAgentActiveHandler(RateLimits rateLimits, AgentPresence presence) : ICommandHandler<SetAgentActive, AgentDto>
{
    public void Authorize(Caller caller, SetAgentActive command)
    {
        InboxRules.RequireAdministrator(caller);
        if (caller.IsAgent && caller.Id == command.AgentId && command.Active == false)
            throw ChatException.Invalid("active", "you cannot deactivate yourself");
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<AgentDto> HandleAsync(SetAgentActive command, CommandContext context)
    {
        var agent = await context.Store.GetAgentAsync(command.AgentId) ?? throw ChatException.NotFound("agent");
        var before = AgentPresence.EffectiveOf(agent, presence.Connected);
        agent.DeactivatedAt = command.Active == true ? null : agent.DeactivatedAt ?? Clock.NowMs();
        await context.Store.SetDeactivatedAsync(agent.Id, agent.DeactivatedAt);
        if (agent.DeactivatedAt is not null)
        {
            // Its sessions and unused links end for good: reactivating brings back its access token, not a session.
            foreach (var purpose in new[] { AgentSecretPurposes.Session, AgentSecretPurposes.Invitation, AgentSecretPurposes.PasswordReset })
                await context.Store.DeleteAgentSecretsAsync(agent.Id, purpose);
        }
        context.Raise(new AgentCredentialsChanged(agent.Id));
        if (agent.DeactivatedAt is not null && agent.Availability != Availabilities.Offline)
        {
            agent.Availability = Availabilities.Offline;
            await context.Store.SetAvailabilityAsync(agent.Id, Availabilities.Offline);
            foreach (var change in await AgentPresence.ChangesAsync(context.Store, agent, before, Availabilities.Offline, presence.Connected, always: true))
                context.Raise(change);
        }
        return AgentMapper.ToDto(agent, presence.Connected);
    }
}
