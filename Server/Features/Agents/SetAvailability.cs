using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using FluentValidation;

namespace ChatHub.Server.Features.Agents;

/// <summary>An agent sets its availability (online, busy, offline); every connected agent is told.</summary>
public sealed record SetAvailability(string? Availability) : ICommand<Done>;

public sealed class SetAvailabilityValidator : AbstractValidator<SetAvailability>
{
    public SetAvailabilityValidator() =>
        RuleFor(c => c.Availability).Must(a => a is not null && Availabilities.All.Contains(a))
            .WithMessage("availability must be online, busy or offline").OverridePropertyName("availability");
}

public sealed class SetAvailabilityHandler(RateLimits rateLimits) : ICommandHandler<SetAvailability, Done>
{
    public void Authorize(Caller caller, SetAvailability command)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("only agents have an availability");
        rateLimits.Check(RateLimitedAction.ConversationChange, caller.Key);
    }

    public async ValueTask<Done> HandleAsync(SetAvailability command, CommandContext context)
    {
        await context.Store.SetAvailabilityAsync(context.Caller.Id, command.Availability!);
        context.Raise(new PresenceChanged(context.Caller.Id, command.Availability!));
        return default;
    }
}
