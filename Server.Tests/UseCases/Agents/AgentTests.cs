using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Agents;
using ChatHub.Server.Identity;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Agents;

/// <summary>The agent use cases, in-process: administrators create and list agents (the access token shown once, stored
/// as a hash), deactivate and reactivate them (never themselves), reset tokens (an agent its own, an administrator or
/// the operator anyone's); an agent reads its profile and sets its availability. Whether a token opens anything is
/// <see cref="CredentialRules"/>, checked here directly.</summary>
public sealed class AgentTests
{
    private static Task<Caller?> ByToken(UseCaseHost host, string token) => host.Store.ReadAsync(r => CredentialRules.AgentByTokenAsync(r, token));

    [Fact]
    public async Task A_created_agent_gets_its_access_token_once_and_it_is_stored_as_a_hash()
    {
        await using var host = await UseCaseHost.StartAsync();
        var mallory = await host.Send(host.Admin, new CreateAgent("Mallory", "mallory@example.com", "agent"));

        Assert.Equal(("Mallory", "mallory@example.com", AgentRoles.Agent, Availabilities.Offline, true),
            (mallory.Name, mallory.Email, mallory.Role, mallory.Availability, mallory.Active));
        Assert.True(mallory.AccessToken!.Length >= 22, "access tokens carry >= 128 random bits");
        Assert.Equal(AgentRoles.Agent, (await host.Send(host.Admin, new CreateAgent("Norm", "norm@example.com", null))).Role);

        var row = await host.Store.ReadAsync(r => r.GetAgentAsync(mallory.Id));
        Assert.NotEqual(mallory.AccessToken, row!.AccessTokenHash);
        Assert.Equal(Tokens.LookupHash(mallory.AccessToken), row.AccessTokenHash);
        var asMallory = (await ByToken(host, mallory.AccessToken))!;
        Assert.Equal(mallory.Id, asMallory.Id);

        // Its profile, and every list, carry no access token; the profile carries its own pubsub token.
        var profile = await host.Ask(asMallory, new GetProfile());
        Assert.Equal((mallory.Id, "Mallory", AgentRoles.Agent, null, row.PubsubToken), (profile.Id, profile.Name, profile.Role, profile.AccessToken, profile.PubsubToken));
        Assert.All(await host.Ask(host.Admin, new ListAgents()), a => Assert.Equal((null, null), (a.AccessToken, a.PubsubToken)));
        await Refusal.Forbidden(async () => await host.Ask(await host.ContactAsync(), new GetProfile()));
    }

    [Fact]
    public async Task The_bootstrap_administrator_reads_its_profile()
    {
        await using var host = await UseCaseHost.StartAsync();
        var profile = await host.Ask(host.Admin, new GetProfile());
        Assert.Equal((1L, "Admin", "admin@example.com", AgentRoles.Administrator, null), (profile.Id, profile.Name, profile.Email, profile.Role, profile.AccessToken));
    }

    [Fact]
    public async Task An_email_is_one_agent_whatever_its_case_and_names_emails_and_roles_are_validated()
    {
        await using var host = await UseCaseHost.StartAsync();
        await host.Send(host.Admin, new CreateAgent("Nina", "nina@example.com", "agent"));
        foreach (var email in new[] { "nina@example.com", "NINA@example.com", "admin@example.com" })
            await Refusal.Of(ErrorCodes.Conflict, () => host.Send(host.Admin, new CreateAgent("Nina 2", email, "agent")));

        await Refusal.Invalid("name", () => host.Send(host.Admin, new CreateAgent("", "o@example.com", null)));
        await Refusal.Invalid("name", () => host.Send(host.Admin, new CreateAgent(null, "o@example.com", null)));
        await Refusal.Invalid("email", () => host.Send(host.Admin, new CreateAgent("Olga", "not an email", null)));
        await Refusal.Invalid("role", () => host.Send(host.Admin, new CreateAgent("Olga", "o@example.com", "owner")));
        Assert.Equal(2, (await host.Ask(host.Admin, new ListAgents())).Count);
    }

    [Fact]
    public async Task Administrators_list_every_agent_by_id_and_a_created_administrator_is_one()
    {
        await using var host = await UseCaseHost.StartAsync();
        var peggy = await host.NewAgentAsync("Peggy");
        var boss = await host.AgentAsync("Boss", AgentRoles.Administrator);

        var agents = await host.Ask(boss, new ListAgents());
        Assert.Equal([1L, peggy.Id, boss.Id], agents.Select(a => a.Id));
        Assert.Equal((AgentRoles.Agent, "Peggy", peggy.Email, Availabilities.Offline), (agents[1].Role, agents[1].Name, agents[1].Email, agents[1].Availability));
        Assert.Equal(AgentRoles.Administrator, (await host.Ask(boss, new GetProfile())).Role);
    }

    [Fact]
    public async Task Agents_and_contacts_are_refused_every_administrator_use_case()
    {
        await using var host = await UseCaseHost.StartAsync();
        var peggy = await host.AgentAsync("Peggy");
        var ann = await host.ContactAsync();
        foreach (var caller in new[] { peggy, ann, Caller.Anonymous })
        {
            await Refusal.Forbidden(() => host.Send(caller, new CreateAgent("Sybil", "sybil@example.com", AgentRoles.Administrator)));
            await Refusal.Forbidden(() => host.Ask(caller, new ListAgents()));
            await Refusal.Forbidden(() => host.Send(caller, new SetAgentActive(1, false)));
            await Refusal.Forbidden(() => host.Send(caller, new ResetAccessToken(1, null)));
        }
        // Peggy created nobody: the email is free.
        await host.Send(host.Admin, new CreateAgent("Sybil", "sybil@example.com", null));
    }

    [Fact]
    public async Task A_deactivated_agents_token_opens_nothing_it_shows_offline_and_reactivation_brings_the_same_token_back()
    {
        await using var host = await UseCaseHost.StartAsync();
        var sam = await host.NewAgentAsync("Sam");
        var asSam = await host.CallerOfAgentAsync(sam.Id);
        await host.Send(asSam, new SetAvailability(Availabilities.Online));

        var deactivated = await host.Send(host.Admin, new SetAgentActive(sam.Id, false));
        Assert.Equal((false, Availabilities.Offline), (deactivated.Active, deactivated.Availability));
        Assert.Null(await ByToken(host, sam.AccessToken!));
        Assert.False(await host.Store.ReadAsync(r => CredentialRules.StillValidAsync(r, asSam)));
        Assert.False((await host.Ask(host.Admin, new ListAgents())).Single(a => a.Id == sam.Id).Active);
        Assert.Contains(host.Events, e => e is AgentCredentialsChanged c && c.AgentId == sam.Id);
        Assert.Contains(host.Events, e => e is PresenceChanged { Availability: Availabilities.Offline } p && p.AgentId == sam.Id);

        var reactivated = await host.Send(host.Admin, new SetAgentActive(sam.Id, true));
        Assert.True(reactivated.Active);
        Assert.Equal(sam.Id, (await ByToken(host, sam.AccessToken!))!.Id);
        // Its conversations and messages stayed: nothing of the agent was deleted.
        Assert.NotNull(await host.Store.ReadAsync(r => r.GetAgentAsync(sam.Id)));
    }

    [Fact]
    public async Task An_administrator_cannot_deactivate_itself_and_active_must_be_given()
    {
        await using var host = await UseCaseHost.StartAsync();
        var tia = await host.NewAgentAsync("Tia");
        await Refusal.Invalid("active", () => host.Send(host.Admin, new SetAgentActive(1, false)));
        await Refusal.Invalid("active", () => host.Send(host.Admin, new SetAgentActive(tia.Id, null)));
        await Refusal.NotFound(() => host.Send(host.Admin, new SetAgentActive(999_999, false)));
        Assert.NotNull(await ByToken(host, tia.AccessToken!));
        Assert.True((await host.Ask(host.Admin, new GetProfile())).Active);
    }

    [Fact]
    public async Task An_agent_resets_its_own_token_an_administrator_anyones_and_the_old_one_stops_working()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ruth = await host.NewAgentAsync("Ruth");
        var sam = await host.NewAgentAsync("Sam");
        var asRuth = await host.CallerOfAgentAsync(ruth.Id);

        var own = await host.Send(asRuth, new ResetAccessToken(ruth.Id, null));
        Assert.Equal(ruth.Id, own.Id);
        Assert.Null(await ByToken(host, ruth.AccessToken!));
        Assert.False(await host.Store.ReadAsync(r => CredentialRules.StillValidAsync(r, asRuth)));
        var ruthAgain = (await ByToken(host, own.AccessToken!))!;
        await Refusal.Forbidden(() => host.Send(ruthAgain, new ResetAccessToken(sam.Id, null)));

        var samsNew = await host.Send(host.Admin, new ResetAccessToken(sam.Id, null));
        Assert.Null(await ByToken(host, sam.AccessToken!));
        Assert.Equal(sam.Id, (await ByToken(host, samsNew.AccessToken!))!.Id);
        Assert.Equal(2, host.Events.OfType<AgentCredentialsChanged>().Count());
        await Refusal.NotFound(() => host.Send(host.Admin, new ResetAccessToken(999_999, null)));
    }

    [Fact]
    public async Task The_operator_resets_any_agents_token_by_email_and_an_unknown_email_is_named()
    {
        await using var host = await UseCaseHost.StartAsync();
        var reset = await host.Send(Caller.Operator, new ResetAccessToken(null, " ADMIN@example.com "));
        Assert.Equal(1, reset.Id);
        Assert.Equal(1, (await ByToken(host, reset.AccessToken!))!.Id);

        var missing = await Refusal.NotFound(() => host.Send(Caller.Operator, new ResetAccessToken(null, "nobody@example.com")));
        Assert.Equal("an agent with the email nobody@example.com not found", missing.Detail);
        await Refusal.Invalid("agent", () => host.Send(Caller.Operator, new ResetAccessToken(null, " ")));
        await Refusal.Invalid("agent", () => host.Send(host.Admin, new ResetAccessToken(0, null)));
    }

    [Fact]
    public async Task An_agent_sets_its_availability_and_every_agent_is_told()
    {
        await using var host = await UseCaseHost.StartAsync();
        // Not connected: the choice is kept, but others see offline (Application/Presence).
        await host.Send(host.Admin, new SetAvailability(Availabilities.Busy));
        var profile = await host.Ask(host.Admin, new GetProfile());
        Assert.Equal((Availabilities.Busy, Availabilities.Offline), (profile.ChosenAvailability, profile.Availability));
        var presence = Assert.Single(host.Events.OfType<PresenceChanged>());
        Assert.Equal((1L, Availabilities.Offline, Availabilities.Busy), (presence.AgentId, presence.Availability, presence.ChosenAvailability));

        // Connected: what was chosen is what others see.
        await host.ConnectAgentAsync(host.Admin.Id);
        Assert.Equal(Availabilities.Busy, (await host.Ask(host.Admin, new GetProfile())).Availability);
        Assert.Contains(host.Events.OfType<PresenceChanged>(), p => p.AgentId == 1 && p.Availability == Availabilities.Busy);

        foreach (var wrong in new[] { "away", "", null })
            await Refusal.Invalid("availability", () => host.Send(host.Admin, new SetAvailability(wrong)));
        await Refusal.Forbidden(async () => await host.Send(await host.ContactAsync(), new SetAvailability(Availabilities.Online)));
    }
}
