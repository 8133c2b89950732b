using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Agents;

/// <summary>An agent signs out: the session it called with ends (a call with an access token has none to end), and the
/// connections it opened close on every node before the answer. <paramref name="Everywhere"/> ends every session of
/// the agent (every browser and app signed in with a password); its access token, for integrations, stays.</summary>
public sealed record SignOut(bool Everywhere) : ICommand<Done>;

public sealed class SignOutHandler(RateLimits rateLimits) : ICommandHandler<SignOut, Done>
{
    public void Authorize(Caller caller, SignOut command)
    {
        if (!caller.IsAgent) throw ChatException.Forbidden("agents only");
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<Done> HandleAsync(SignOut command, CommandContext context)
    {
        var caller = context.Caller;
        if (command.Everywhere)
            await context.Store.DeleteAgentSecretsAsync(caller.Id, AgentSecretPurposes.Session);
        else if (caller.SessionHash is { } hash && await context.Store.FindAgentSecretAsync(hash) is { Purpose: AgentSecretPurposes.Session } session
                 && session.AgentId == caller.Id)
            await context.Store.DeleteAgentSecretAsync(session.Id);
        else
            return default;
        context.Raise(new AgentCredentialsChanged(caller.Id));
        return default;
    }
}
