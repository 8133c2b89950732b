using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Agents;

/// <summary>An agent chooses its availability (online, busy, offline); every connected agent is told, and the contacts of
/// its inboxes when that turns their "someone is online" (<see cref="AgentPresence"/>: it applies while connected).</summary>
public sealed record SetAvailability(string? Availability) : ICommand<Done>;

public sealed class SetAvailabilityValidator : AbstractValidator<SetAvailability>
{
    public SetAvailabilityValidator() =>
        RuleFor(c => c.Availability).Must(a => a is not null && Availabilities.All.Contains(a))
            .WithMessage("availability must be online, busy or offline").OverridePropertyName("availability");
}

public sealed class SetAvailabilityHandler(RateLimits rateLimits, AgentPresence presence) : ICommandHandler<SetAvailability, Done>
{
    public void Authorize(Caller caller, SetAvailability command)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("only agents have an availability");
        rateLimits.Check(RateLimitedAction.ConversationChange, caller.Key);
    }

    public async ValueTask<Done> HandleAsync(SetAvailability command, CommandContext context)
    {
        var agent = await context.Store.GetAgentAsync(context.Caller.Id) ?? throw ChatException.NotFound("agent");
        var connected = presence.Connected;
        var before = AgentPresence.EffectiveOf(agent, connected);
        agent.Availability = command.Availability!;
        await context.Store.SetAvailabilityAsync(agent.Id, agent.Availability);
        foreach (var change in await AgentPresence.ChangesAsync(context.Store, agent, before, AgentPresence.EffectiveOf(agent, connected), connected, always: true))
            context.Raise(change);
        return default;
    }
}
