using ChatHub.Contracts;
using ChatHub.Server.Application.Pipeline;
using ChatHub.Server.Application.Presence;
using ChatHub.Server.Common;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Storage;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Features.Agents;

/// <summary>An administrator creates an agent; the access token (for integrations) and a one-time invitation link (to set
/// a password and sign in to the console, <see cref="CreateAccountLink"/>) are in this answer only (stored as hashes).</summary>
public sealed record CreateAgent(string? Name, string? Email, string? Role) : ICommand<AgentDto>;

public sealed class CreateAgentValidator : AbstractValidator<CreateAgent>
{
    public CreateAgentValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(255).WellFormed().OverridePropertyName("name");
        RuleFor(c => c.Email).NotEmpty().MaximumLength(320).EmailAddress().WellFormed().OverridePropertyName("email");
        RuleFor(c => c.Role).Must(r => r is null or AgentRoles.Agent or AgentRoles.Administrator)
            .WithMessage("role must be agent or administrator").OverridePropertyName("role");
    }
}

public sealed class CreateAgentHandler(RateLimits rateLimits, IOptions<AccountOptions> accounts, IAccountMail mail, AgentPresence presence) : ICommandHandler<CreateAgent, AgentDto>
{
    public void Authorize(Caller caller, CreateAgent command)
    {
        InboxRules.RequireAdministrator(caller);
        rateLimits.Check(RateLimitedAction.AdminWrite, caller.Key);
    }

    public async ValueTask<AgentDto> HandleAsync(CreateAgent command, CommandContext context)
    {
        var accessToken = Tokens.NewSecret();
        var agent = await NewAgentAsync(context.Store, command, accessToken);
        var invitation = await CreateAccountLinkHandler.NewLinkAsync(context.Store, agent, AccountLinkPurposes.Invitation, accounts.Value);
        context.Store.AfterCommit(() => _ = mail.SendLinkAsync(agent, invitation).ContinueWith(_ => { }, TaskScheduler.Default));
        return AgentMapper.ToDto(agent, presence.Connected) with { AccessToken = accessToken, Invitation = invitation };
    }

    /// <summary>Also used by the bootstrap, which may bring its own access token.</summary>
    public static async ValueTask<AgentRow> NewAgentAsync(IStoreTransaction store, CreateAgent command, string accessToken)
    {
        if (await store.FindAgentByEmailAsync(command.Email!) is not null) throw ChatException.Conflict("an agent with this email exists");
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
        agent.Id = await store.InsertAgentAsync(agent);
        return agent;
    }
}
