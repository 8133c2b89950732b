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

/// <summary>Gives an agent a new access token and a new pubsub token and makes the old ones stop working: for a lost or leaked token. By
/// the agent itself, by an administrator (the agent's id), or by the operator on the server's command line (<c>reset-token &lt;email&gt;</c>,
/// the way back when the only administrator's token is lost). The new token is in this answer only (stored as a
/// hash). Connections opened with the old token are closed, on every node, before the answer (by the command line, which
/// may not reach a running node, within a second: AccessSweep).</summary>
public sealed record ResetAccessToken(long? AgentId, string? Email) : ICommand<AgentDto>;

public sealed class ResetAccessTokenValidator : AbstractValidator<ResetAccessToken>
{
    public ResetAccessTokenValidator()
    {
        RuleFor(c => c).Must(c => c.AgentId is > 0 || !string.IsNullOrWhiteSpace(c.Email))
            .WithMessage("name the agent by id or email").OverridePropertyName("agent");
        RuleFor(c => c.Email).MaximumLength(320).WellFormed().OverridePropertyName("email");
    }
}

public sealed class ResetAccessTokenHandler(RateLimits rateLimits, AgentPresence presence) : ICommandHandler<ResetAccessToken, AgentDto>
{
    public void Authorize(Caller caller, ResetAccessToken command)
    {
        // Any agent may reset its own token (Chatwoot's profile/reset_access_token); anyone else's, administrators only.
        if (!(caller.IsAgent && command.AgentId == caller.Id)) InboxRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<AgentDto> HandleAsync(ResetAccessToken command, CommandContext context)
    {
        var agent = command.AgentId is { } id
            ? await context.Store.GetAgentAsync(id)
            : await context.Store.FindAgentByEmailAsync(command.Email!.Trim());
        if (agent is null) throw ChatException.NotFound(command.AgentId is null ? $"an agent with the email {command.Email}" : "agent");
        var accessToken = Tokens.NewSecret();
        // The pubsub token (its /cable subscription) goes with it: a reset revokes whichever of the two leaked.
        await context.Store.SetAgentTokensAsync(agent.Id, Tokens.LookupHash(accessToken), Tokens.NewSecret());
        context.Raise(new AgentCredentialsChanged(agent.Id));
        return AgentMapper.ToDto(agent, presence.Connected) with { AccessToken = accessToken };
    }
}
