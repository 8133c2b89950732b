using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>SetStatus's rules, in-process: agents set any status or toggle open and resolved; a contact only resolves;
/// each change is one seq and an activity line for the agents; a change that changes nothing takes no seq.</summary>
public sealed class SetStatusTests
{
    [Fact]
    public async Task Agents_set_a_given_status_or_toggle_open_and_resolved()
    {
        await using var host = await UseCaseHost.StartAsync();
        var conversation = await host.ConversationAsync(await host.ContactAsync(), "hi");
        async Task<string> Set(string? status) => (await host.Send(host.Admin, new SetStatus(conversation.Id, status))).Status;

        Assert.Equal("pending", await Set("pending"));
        Assert.Equal("open", await Set("open"));
        Assert.Equal("resolved", await Set(null));
        Assert.Equal("open", await Set(null));
        Assert.Equal("resolved", await Set(null));
        Assert.Equal("resolved", (await host.ConversationOfAsync(host.Admin, conversation.Id)).Status);
        foreach (var wrong in new[] { "closed", "snoozed-forever", "" })
            await Refusal.Invalid("status", () => Set(wrong));
        await Refusal.Invalid("conversation_id", () => host.Send(host.Admin, new SetStatus(0, "open")));
    }

    [Fact]
    public async Task A_contact_only_resolves_and_its_toggle_always_resolves()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "thanks, solved");

        foreach (var status in new[] { "open", "pending" })
            await Refusal.Forbidden(() => host.Send(ann, new SetStatus(conversation.Id, status)));
        var resolved = await host.Send(ann, new SetStatus(conversation.Id, null));
        Assert.Equal(ConversationStatuses.Resolved, resolved.Status);
        Assert.True(resolved.Seq > conversation.Seq);
        Assert.Equal(ConversationStatuses.Resolved, (await host.Send(ann, new SetStatus(conversation.Id, null))).Status);
        Assert.Equal(ConversationStatuses.Resolved, (await host.Send(ann, new SetStatus(conversation.Id, "resolved"))).Status);
        Assert.Equal(ConversationStatuses.Resolved, (await host.ConversationOfAsync(ann, conversation.Id)).Status);
    }

    [Fact]
    public async Task A_change_takes_a_seq_publishes_the_previous_status_and_writes_an_activity_line_for_agents_only()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");

        var pending = await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Pending));

        var update = host.Events.OfType<ConversationUpdated>().Single();
        Assert.Equal((ConversationStatuses.Open, ConversationStatuses.Pending), (update.PreviousStatus, update.Conversation.Status));
        var activity = host.Events.OfType<MessageCreated>().Last().Message;
        Assert.Equal((MessageTypes.Activity, "Conversation was marked as pending by Admin"), (activity.MessageType, activity.Content));
        Assert.Null(host.Events.OfType<MessageCreated>().Last().Sender);
        Assert.Equal(pending.Seq, activity.Seq); // the agents' stream: the change, then the line
        Assert.Equal(activity.Seq, (await host.MessagesAsync(host.Admin, conversation.Id)).Last().Seq);
        // The contact's stream has the change and not the line.
        Assert.Equal(2, (await host.ConversationOfAsync(ann, conversation.Id)).Seq);
        Assert.DoesNotContain(await host.MessagesAsync(ann, conversation.Id), m => m.MessageType == MessageTypes.Activity);

        // The same status again changes nothing and takes no seq.
        var published = host.Events.Count;
        var again = await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Pending));
        Assert.Equal(pending.Seq, again.Seq);
        Assert.Equal(published, host.Events.Count);

        await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Resolved));
        await host.Send(ann, new SetStatus(conversation.Id, null)); // resolved already: nothing
        await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Open));
        Assert.Equal(["Conversation was marked as pending by Admin", "Conversation was resolved by Admin", "Conversation was reopened by Admin"],
            (await host.MessagesAsync(host.Admin, conversation.Id)).Where(m => m.MessageType == MessageTypes.Activity).Select(m => m.Content));
    }

    [Fact]
    public async Task A_contacts_resolution_is_signed_with_its_name()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync("Ann");
        var conversation = await host.ConversationAsync(ann, "hi");
        await host.Send(ann, new SetStatus(conversation.Id, null));
        Assert.Equal("Conversation was resolved by Ann",
            (await host.MessagesAsync(host.Admin, conversation.Id)).Single(m => m.MessageType == MessageTypes.Activity).Content);
    }
}
