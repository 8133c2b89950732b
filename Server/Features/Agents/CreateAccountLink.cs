using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Agents;

/// <summary>An administrator (or the operator's command line) makes a one-time, expiring link with which an agent sets a
/// password: an invitation (the purpose when the agent has none yet) or a password reset. The agent's earlier links
/// stop working. The link is in this answer (stored as a hash) and handed to <see cref="IAccountMail"/> after the commit.</summary>
public sealed record CreateAccountLink(long? AgentId, string? Email, string? Purpose) : ICommand<AccountLinkDto>;

public sealed class CreateAccountLinkValidator : AbstractValidator<CreateAccountLink>
{
    public CreateAccountLinkValidator()
    {
        RuleFor(c => c).Must(c => c.AgentId is > 0 || !string.IsNullOrWhiteSpace(c.Email))
            .WithMessage("name the agent by id or email").OverridePropertyName("agent");
        RuleFor(c => c.Email).MaximumLength(320).WellFormed().OverridePropertyName("email");
        RuleFor(c => c.Purpose).Must(p => p is null or AccountLinkPurposes.Invitation or AccountLinkPurposes.PasswordReset)
            .WithMessage("purpose must be invitation or password_reset").OverridePropertyName("purpose");
    }
}

public sealed class CreateAccountLinkHandler(RateLimits rateLimits, IOptions<AccountOptions> options, IAccountMail mail, ILogger<CreateAccountLinkHandler> logger)
    : ICommandHandler<CreateAccountLink, AccountLinkDto>
{
    public void Authorize(Caller caller, CreateAccountLink command)
    {
        InboxRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<AccountLinkDto> HandleAsync(CreateAccountLink command, CommandContext context)
    {
        var agent = command.AgentId is { } id
            ? await context.Store.GetAgentAsync(id)
            : await context.Store.FindAgentByEmailAsync(command.Email!.Trim());
        if (agent is null) throw ChatException.NotFound(command.AgentId is null ? $"an agent with the email {command.Email}" : "agent");
        if (agent.DeactivatedAt is not null) throw ChatException.Invalid("agent", "the agent is deactivated: reactivate it first");
        var purpose = command.Purpose ?? (agent.PasswordHash is null ? AccountLinkPurposes.Invitation : AccountLinkPurposes.PasswordReset);
        var link = await NewLinkAsync(context.Store, agent, purpose, options.Value);
        context.Store.AfterCommit(() => _ = SendAsync(agent, link));
        return link;
    }

    /// <summary>Also used by <see cref="CreateAgentHandler"/> (a new agent's invitation) and the bootstrap.</summary>
    public static async ValueTask<AccountLinkDto> NewLinkAsync(IStoreTransaction store, AgentRow agent, string purpose, AccountOptions options)
    {
        // One live link per agent: a new one replaces an invitation or reset sent earlier.
        await store.DeleteAgentSecretsAsync(agent.Id, AgentSecretPurposes.Invitation);
        await store.DeleteAgentSecretsAsync(agent.Id, AgentSecretPurposes.PasswordReset);
        var now = Clock.NowMs();
        var lifetime = purpose == AccountLinkPurposes.Invitation ? options.InvitationLifetime : options.PasswordResetLifetime;
        var secret = Tokens.NewSecret();
        var row = new AgentSecretRow
        {
            TokenHash = Tokens.LookupHash(secret), AgentId = agent.Id, Purpose = purpose == AccountLinkPurposes.Invitation
                ? AgentSecretPurposes.Invitation : AgentSecretPurposes.PasswordReset,
            CreatedAt = now, LastUsedAt = now, ExpiresAt = now + (long)lifetime.TotalMilliseconds,
        };
        row.Id = await store.InsertAgentSecretAsync(row);
        var fragment = purpose == AccountLinkPurposes.Invitation ? "invite" : "reset";
        return new AccountLinkDto { AgentId = agent.Id, Purpose = purpose, Url = $"/agent/#{fragment}={secret}", ExpiresAt = Clock.ToSeconds(row.ExpiresAt) };
    }

    private async Task SendAsync(AgentRow agent, AccountLinkDto link)
    {
        try
        {
            await mail.SendLinkAsync(agent, link);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The {Purpose} link of agent {AgentId} could not be emailed; the administrator has it", link.Purpose, agent.Id);
        }
    }
}
