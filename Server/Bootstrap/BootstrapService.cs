using ChatHub.Contracts;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Bootstrap;

/// <summary>On the first start with an empty store: a demo inbox and an administrator in it, so the server is
/// usable at once. Secrets it generated are logged this one time (the only secrets ever logged); secrets that came
/// from configuration are not logged at all: whoever configured them has them.</summary>
public sealed class BootstrapService(IChatStore store, IOptions<BootstrapOptions> options, IOptions<AccountOptions> accounts, ILogger<BootstrapService> logger)
{
    public async Task RunAsync(IServer server, IHostApplicationLifetime lifetime)
    {
        var o = options.Value;
        var accessToken = string.IsNullOrEmpty(o.AgentAccessToken) ? Tokens.NewSecret() : o.AgentAccessToken;
        // Hashed before the transaction: hashing is slow by design.
        var passwordHash = string.IsNullOrEmpty(o.AgentPassword) ? null : Passwords.Hash(o.AgentPassword);
        AccountLinkDto? invitation = null;
        var inbox = await store.WriteAsync<InboxRow?>(async w =>
        {
            if (await w.AnyInboxAsync()) return null;
            var created = await CreateInboxHandler.NewInboxAsync(w, new CreateInbox(o.InboxName, o.HmacMandatory,
                "Hi there! How can we help you today?", null, null), o.InboxIdentifier, o.HmacToken);
            var agent = await CreateAgentHandler.NewAgentAsync(w, new CreateAgent(o.AgentName, o.AgentEmail, AgentRoles.Administrator), accessToken);
            await w.AddMemberAsync(created.Id, agent.Id);
            if (passwordHash is not null) await w.SetAgentPasswordAsync(agent.Id, passwordHash);
            else invitation = await CreateAccountLinkHandler.NewLinkAsync(w, agent, AccountLinkPurposes.Invitation, accounts.Value);
            return created;
        });
        if (inbox is null) return;

        var shownToken = string.IsNullOrEmpty(o.AgentAccessToken) ? accessToken : "as configured in Bootstrap:AgentAccessToken";
        var shownHmac = string.IsNullOrEmpty(o.HmacToken) ? inbox.HmacToken : "as configured in Bootstrap:HmacToken";
        lifetime.ApplicationStarted.Register(() =>
        {
            var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
            var signIn = invitation is null ? $"{url}/agent/  (sign in as {o.AgentEmail} with Bootstrap:AgentPassword)"
                : $"{url}{invitation.Url}  (set the administrator's password: this link works once, for {accounts.Value.InvitationLifetime.TotalDays:0.#} days)";
            logger.LogWarning(
                "First start: created inbox '{Inbox}' and administrator '{Email}'.\n  Widget demo:   {Url}/?inbox={Identifier}\n  Agent console: {SignIn}\n  Access token (integrations): {Token}\n  Inbox HMAC token: {Hmac}",
                inbox.Name, o.AgentEmail, url, inbox.Identifier, signIn, shownToken, shownHmac);
        });
    }
}
