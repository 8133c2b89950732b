using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Inboxes;
using ChatHub.Server.Identity;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Inboxes;

/// <summary>The inbox use cases, in-process: administrators create, change and list inboxes (with their secrets), the
/// widget reads an inbox's public view (no secrets; whether an agent is online), and the demo page finds the first.</summary>
public sealed class InboxTests
{
    private static readonly WorkingHourDto Monday = new() { DayOfWeek = 1, OpenHour = 9, OpenMinutes = 0, CloseHour = 17, CloseMinutes = 30 };

    [Fact]
    public async Task A_created_inbox_has_a_random_identifier_and_hmac_token_its_settings_and_its_creator_as_a_member()
    {
        await using var host = await UseCaseHost.StartAsync();
        var created = await host.Send(host.Admin, new CreateInbox("Support", true, "Welcome!", [Monday], null));

        Assert.Equal((2L, "Support", true, "UTC"), (created.Id, created.Name, created.HmacMandatory, created.Timezone));
        Assert.True(created.HmacToken.Length >= 22);
        Assert.True(created.Identifier.Length >= 24, "inbox identifiers are random, >= 24 chars");
        Assert.NotEqual(host.InboxIdentifier, created.Identifier);
        Assert.Equal(ReplyTimes.InAFewMinutes, created.ReplyTime);
        Assert.Equal([1L], await host.Store.ReadAsync(r => r.MembersOfAsync(created.Id)));
        var added = Assert.Single(host.Events.OfType<InboxMembersAdded>()); // its creator's open consoles join it live
        Assert.Equal(created.Id, added.InboxId);
        Assert.Equal([1L], added.AgentIds);

        var shown = await host.Ask(Caller.Anonymous, new GetPublicInbox(created.Identifier));
        Assert.Equal(("Support", true, true, "Welcome!", true), (shown.Name, shown.IdentityValidationEnabled, shown.GreetingEnabled, shown.GreetingMessage, shown.WorkingHoursEnabled));
        Assert.Equal(Monday, Assert.Single(shown.WorkingHours));
        Assert.IsNotType<InboxAdminDto>(shown); // the public view has no HMAC secret
    }

    [Fact]
    public async Task The_public_view_of_the_bootstrap_inbox_has_its_defaults_the_file_limit_and_who_is_online()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxAttachmentBytes"] = "12345" });
        var inbox = await host.Ask(Caller.Anonymous, new GetPublicInbox(host.InboxIdentifier));
        Assert.Equal((host.InboxIdentifier, "Website", "UTC", false, true, false, false), (inbox.Identifier, inbox.Name, inbox.Timezone,
            inbox.IdentityValidationEnabled, inbox.GreetingEnabled, inbox.WorkingHoursEnabled, inbox.CsatSurveyEnabled));
        Assert.False(string.IsNullOrEmpty(inbox.GreetingMessage));
        Assert.Empty(inbox.WorkingHours);
        Assert.Equal((12345L, false), (inbox.MaxAttachmentBytes, inbox.Online));

        // A connected agent of the inbox who chose online makes it online; one of another inbox does not, nor one who
        // chose online but has no connection open (the "We're online" with nobody there).
        var outsider = await host.AgentAsync("Out", inboxId: null);
        await host.ConnectAgentAsync(outsider.Id);
        await host.Send(outsider, new Features.Agents.SetAvailability(Availabilities.Online));
        Assert.False((await host.Ask(Caller.Anonymous, new GetPublicInbox(host.InboxIdentifier))).Online);
        await host.Send(host.Admin, new Features.Agents.SetAvailability(Availabilities.Online));
        Assert.False((await host.Ask(Caller.Anonymous, new GetPublicInbox(host.InboxIdentifier))).Online);
        await host.ConnectAgentAsync(host.Admin.Id);
        Assert.True((await host.Ask(Caller.Anonymous, new GetPublicInbox(host.InboxIdentifier))).Online);
        Assert.Equal(host.InboxIdentifier, await host.Ask(Caller.Anonymous, new GetDemoInbox()));
    }

    [Fact]
    public async Task Administrators_list_every_inbox_with_its_hmac_token()
    {
        await using var host = await UseCaseHost.StartAsync();
        var sales = await host.InboxAsync("Sales");
        var inboxes = await host.Ask(host.Admin, new ListInboxes());
        Assert.Equal([(host.InboxIdentifier, host.HmacToken), (sales.Identifier, sales.HmacToken)], inboxes.Select(i => (i.Identifier, i.HmacToken)));
    }

    [Fact]
    public async Task An_update_changes_what_is_given_and_an_empty_greeting_or_working_hours_turn_them_off()
    {
        await using var host = await UseCaseHost.StartAsync();
        var patched = await host.Send(host.Admin, new UpdateInbox(UseCaseHost.InboxId, null, null, null, [Monday], "Europe/Paris", CsatSurveyEnabled: true,
            ReplyTime: ReplyTimes.InADay));
        Assert.Equal(("Website", true, true, "Europe/Paris", ReplyTimes.InADay, true),
            (patched.Name, patched.CsatSurveyEnabled, patched.WorkingHoursEnabled, patched.Timezone, patched.ReplyTime, patched.GreetingEnabled));
        var shown = await host.Ask(Caller.Anonymous, new GetPublicInbox(host.InboxIdentifier));
        Assert.Equal((true, ReplyTimes.InADay), (shown.CsatSurveyEnabled, shown.ReplyTime));

        var off = await host.Send(host.Admin, new UpdateInbox(UseCaseHost.InboxId, "Site", null, "", [], null, null));
        Assert.Equal(("Site", false, null, false, true), (off.Name, off.GreetingEnabled, off.GreetingMessage, off.WorkingHoursEnabled, off.CsatSurveyEnabled));
        await Refusal.NotFound(() => host.Send(host.Admin, new UpdateInbox(999, "x", null, null, null, null, null)));
        Assert.Empty(host.Events.OfType<InboxVerificationRequired>());
    }

    [Fact]
    public async Task Settings_are_validated_on_creation_and_update()
    {
        await using var host = await UseCaseHost.StartAsync();
        await Refusal.Invalid("name", () => host.Send(host.Admin, new CreateInbox("", null, null, null, null)));
        await Refusal.Invalid("name", () => host.Send(host.Admin, new CreateInbox(null, null, null, null, null)));
        await Refusal.Invalid("name", () => host.Send(host.Admin, new CreateInbox(new string('n', 256), null, null, null, null)));
        await Refusal.Invalid("greeting_message", () => host.Send(host.Admin, new CreateInbox("x", null, new string('g', 1025), null, null)));
        await Refusal.Invalid("working_hours", () => host.Send(host.Admin, new CreateInbox("x", null, null,
            Enumerable.Range(0, 8).Select(d => new WorkingHourDto { DayOfWeek = d % 7 }).ToList(), null)));
        var refused = await Assert.ThrowsAsync<Common.ChatException>(() => host.Send(host.Admin, new CreateInbox("x", null, null, [new WorkingHourDto { DayOfWeek = 9 }], null)));
        Assert.Equal(ErrorCodes.Validation, refused.Code);
        Assert.Contains(refused.Errors!.Keys, k => k.Contains("day_of_week"));
        await Refusal.Invalid("reply_time", () => host.Send(host.Admin, new CreateInbox("x", null, null, null, null, ReplyTime: "soon")));

        await Refusal.Invalid("name", () => host.Send(host.Admin, new UpdateInbox(1, "", null, null, null, null, null)));
        await Refusal.Invalid("timezone", () => host.Send(host.Admin, new UpdateInbox(1, null, null, null, null, "", null)));
        await Refusal.Invalid("reply_time", () => host.Send(host.Admin, new UpdateInbox(1, null, null, null, null, null, null, "soon")));
        Assert.Single(await host.Ask(host.Admin, new ListInboxes()));
    }

    [Fact]
    public async Task Only_administrators_create_change_and_list_inboxes()
    {
        await using var host = await UseCaseHost.StartAsync();
        var peggy = await host.AgentAsync("Peggy");
        foreach (var caller in new[] { peggy, await host.ContactAsync(), Caller.Anonymous })
        {
            await Refusal.Forbidden(() => host.Send(caller, new CreateInbox("Mine", null, null, null, null)));
            await Refusal.Forbidden(() => host.Send(caller, new UpdateInbox(1, "Mine", null, null, null, null, null)));
            await Refusal.Forbidden(() => host.Ask(caller, new ListInboxes()));
        }
        Assert.Equal("Website", Assert.Single(await host.Ask(host.Admin, new ListInboxes())).Name);
    }

    [Fact]
    public async Task The_administrator_who_creates_an_inbox_works_in_it_at_once()
    {
        await using var host = await UseCaseHost.StartAsync();
        var sales = await host.InboxAsync("Sales");
        var sal = await host.ContactAsync("Sal", inboxIdentifier: sales.Identifier);
        var conversation = await host.ConversationAsync(sal, "Is this sales?");
        Assert.Equal(conversation.Id, (await host.ConversationOfAsync(host.Admin, conversation.Id)).Id);
        Assert.Contains(host.Events.OfType<ConversationCreated>(), c => c.Conversation.InboxId == sales.Id);
        Assert.Equal([conversation.Id], (await host.Ask(host.Admin, new ListConversations(null, sales.Id, null, null))).Conversations.Select(c => c.Id));
    }
}
