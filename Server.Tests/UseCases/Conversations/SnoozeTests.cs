using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using ChatHub.Server.Storage;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>Snoozing, in-process: an agent snoozes a conversation until a time (Unix seconds) or until the customer
/// writes; the snooze sweep reopens the ones whose time has passed, once whoever sweeps; the customer's message reopens
/// it at once; any other status ends the snooze. Each is a status change as any other (its seq, its events).</summary>
public sealed class SnoozeTests
{
    private static long InSeconds(TimeSpan fromNow) => DateTimeOffset.UtcNow.Add(fromNow).ToUnixTimeSeconds();

    private static SnoozeSweeper Sweeper(UseCaseHost host) => host.Services.GetServices<IHostedService>().OfType<SnoozeSweeper>().Single();

    [Fact]
    public async Task An_agent_snoozes_until_a_time_as_a_status_change_and_another_status_ends_the_snooze()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        var until = InSeconds(TimeSpan.FromHours(2));

        var snoozed = await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Snoozed, until));
        Assert.Equal((ConversationStatuses.Snoozed, (long?)until), (snoozed.Status, snoozed.SnoozedUntil));
        var update = host.Events.OfType<ConversationUpdated>().Last();
        Assert.Equal((ConversationStatuses.Open, false), (update.PreviousStatus, update.AgentsOnly));
        Assert.Equal(until * 1000, update.Conversation.SnoozedUntil);
        Assert.Equal("Conversation was snoozed by Admin", host.Events.OfType<MessageCreated>().Last().Message.Content);
        // The customer sees the status, not the agents' plan.
        var seenByAnn = await host.ConversationOfAsync(ann, conversation.Id);
        Assert.Equal((ConversationStatuses.Snoozed, (long?)null), (seenByAnn.Status, seenByAnn.SnoozedUntil));

        // A new time is a change; the same time is none.
        var later = await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Snoozed, until + 60));
        Assert.True(later.Seq > snoozed.Seq);
        Assert.Equal(later.Seq, (await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Snoozed, until + 60))).Seq);
        // Until the customer writes.
        Assert.Null((await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Snoozed))).SnoozedUntil);

        await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Snoozed, until));
        var pending = await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Pending));
        Assert.Equal((ConversationStatuses.Pending, (long?)null), (pending.Status, pending.SnoozedUntil));
        Assert.Empty(await host.Store.ReadAsync(r => r.ListSnoozeEndedAsync(long.MaxValue, 10)));
    }

    [Fact]
    public async Task Snoozed_until_goes_with_status_snoozed_as_a_unix_time_and_contacts_cannot_snooze()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        var until = InSeconds(TimeSpan.FromHours(1));

        await Refusal.Invalid("snoozed_until", () => host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Open, until)));
        await Refusal.Invalid("snoozed_until", () => host.Send(host.Admin, new SetStatus(conversation.Id, null, until)));
        foreach (var wrong in new[] { 0L, -5L, SetStatusValidator.LatestSnoozeEnd + 1, long.MaxValue })
            await Refusal.Invalid("snoozed_until", () => host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Snoozed, wrong)));
        await Refusal.Forbidden(() => host.Send(ann, new SetStatus(conversation.Id, ConversationStatuses.Snoozed, until)));
        Assert.Equal(ConversationStatuses.Open, (await host.ConversationOfAsync(host.Admin, conversation.Id)).Status);
    }

    [Fact]
    public async Task The_sweep_reopens_the_conversations_whose_snooze_ended_once_whoever_sweeps()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var ended = await host.ConversationAsync(ann, "one");
        var endsLater = await host.ConversationAsync(ann, "two");
        var untilCustomer = await host.ConversationAsync(ann, "three");
        await host.Send(host.Admin, new SetStatus(ended.Id, ConversationStatuses.Snoozed, InSeconds(TimeSpan.FromSeconds(-5))));
        await host.Send(host.Admin, new SetStatus(endsLater.Id, ConversationStatuses.Snoozed, InSeconds(TimeSpan.FromHours(1))));
        await host.Send(host.Admin, new SetStatus(untilCustomer.Id, ConversationStatuses.Snoozed));
        var before = await host.ConversationOfAsync(host.Admin, ended.Id);
        var published = host.Events.Count;

        // Two nodes sweep at once: one of them reopens it.
        var sweeps = await Task.WhenAll(Sweeper(host).SweepAsync(), Sweeper(host).SweepAsync());
        Assert.Equal(1, sweeps.Sum());

        var reopened = await host.ConversationOfAsync(host.Admin, ended.Id);
        Assert.Equal((ConversationStatuses.Open, (long?)null), (reopened.Status, reopened.SnoozedUntil));
        Assert.Equal(before.Seq + 2, reopened.Seq); // the change and its activity line
        var events = host.Events.Skip(published).ToList();
        var update = Assert.Single(events.OfType<ConversationUpdated>());
        Assert.Equal((ended.Id, ConversationStatuses.Snoozed, ConversationStatuses.Open), (update.Conversation.Id, update.PreviousStatus, update.Conversation.Status));
        Assert.True(Visibility.ContactSees(update));
        Assert.Equal("Conversation was reopened: its snooze ended", Assert.Single(events.OfType<MessageCreated>()).Message.Content);
        Assert.Equal(ConversationStatuses.Snoozed, (await host.ConversationOfAsync(host.Admin, endsLater.Id)).Status);
        Assert.Equal(ConversationStatuses.Snoozed, (await host.ConversationOfAsync(host.Admin, untilCustomer.Id)).Status);
        Assert.Equal(0, await Sweeper(host).SweepAsync());

        // Only the server reopens by itself.
        await Refusal.Forbidden(() => host.Send(host.Admin, new ReopenSnoozed(endsLater.Id, long.MaxValue)));
    }

    [Fact]
    public async Task The_customers_message_reopens_a_snoozed_conversation_whatever_its_time()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Snoozed, InSeconds(TimeSpan.FromDays(3))));
        var published = host.Events.Count;

        await host.SayAsync(ann, conversation.Id, "are you there?");

        var reopened = await host.ConversationOfAsync(host.Admin, conversation.Id);
        Assert.Equal((ConversationStatuses.Open, (long?)null), (reopened.Status, reopened.SnoozedUntil));
        var update = host.Events.Skip(published).OfType<ConversationUpdated>().Single();
        Assert.Equal(ConversationStatuses.Snoozed, update.PreviousStatus);
        Assert.Empty(await host.Store.ReadAsync(r => r.ListSnoozeEndedAsync(long.MaxValue, 10)));

        // An agent's message does not.
        await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Snoozed));
        await host.SayAsync(host.Admin, conversation.Id, "we will get back to you");
        Assert.Equal(ConversationStatuses.Snoozed, (await host.ConversationOfAsync(host.Admin, conversation.Id)).Status);
    }
}
