using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Labels;
using ChatHub.Server.Identity;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>A conversation's labels and priority, in-process: agents of its inbox set them; labels are account labels
/// only (others are dropped, as Chatwoot's LabelConcern), in lower case, each once, in order; a change is one seq for the
/// agents, an activity line and a conversation update the contact never receives; a change that changes nothing takes
/// no seq.</summary>
public sealed class ConversationLabelsTests
{
    private static async Task<(UseCaseHost Host, Caller Ann, ConversationDto Conversation)> SceneAsync(IDictionary<string, string?>? settings = null)
    {
        var host = await UseCaseHost.StartAsync(settings);
        foreach (var title in new[] { "billing", "vip", "bug" }) await host.Send(host.Admin, new CreateLabel(title, null, null, null));
        var ann = await host.ContactAsync();
        return (host, ann, await host.ConversationAsync(ann, "hi"));
    }

    [Fact]
    public async Task Agents_set_exactly_the_account_labels_named_and_read_them_back()
    {
        var (host, ann, conversation) = await SceneAsync();
        await using var _ = host;

        var set = await host.Send(host.Admin, new SetConversationLabels(conversation.Id, ["VIP", "billing", "unknown", "vip"]));
        Assert.Equal(["billing", "vip"], set);
        Assert.Equal(["billing", "vip"], await host.Ask(host.Admin, new GetConversationLabels(conversation.Id)));
        Assert.Equal(["billing", "vip"], (await host.ConversationOfAsync(host.Admin, conversation.Id)).Labels);

        Assert.Equal(["bug"], await host.Send(host.Admin, new SetConversationLabels(conversation.Id, ["bug"])));
        Assert.Empty(await host.Send(host.Admin, new SetConversationLabels(conversation.Id, null)));
        Assert.Empty(await host.Ask(host.Admin, new GetConversationLabels(conversation.Id)));
    }

    [Fact]
    public async Task A_change_is_one_seq_for_the_agents_with_activity_lines_and_an_update_the_contact_never_gets()
    {
        var (host, ann, conversation) = await SceneAsync();
        await using var _ = host;
        await host.Send(host.Admin, new SetConversationLabels(conversation.Id, ["bug"]));
        var before = await host.ConversationOfAsync(host.Admin, conversation.Id);
        var contactSeq = (await host.ConversationOfAsync(ann, conversation.Id)).Seq;
        var published = host.Events.Count;

        await host.Send(host.Admin, new SetConversationLabels(conversation.Id, ["vip", "billing"]));

        var events = host.Events.Skip(published).ToList();
        var update = Assert.IsType<ConversationUpdated>(events[0]);
        Assert.True(update.AgentsOnly);
        Assert.Null(update.PreviousStatus);
        Assert.Equal(["billing", "vip"], ConversationLabels.Of(update.Conversation));
        Assert.False(Visibility.ContactSees(update));
        Assert.True(Visibility.AgentsSee(update));
        var lines = events.OfType<MessageCreated>().Select(m => (m.Message.MessageType, m.Message.Content)).ToList();
        Assert.Equal([(MessageTypes.Activity, "Admin added billing, vip"), (MessageTypes.Activity, "Admin removed bug")], lines);
        // One seq for the change and one per activity line; none for the contact, who sees no labels.
        var after = await host.ConversationOfAsync(host.Admin, conversation.Id);
        Assert.Equal(before.Seq + 3, after.Seq);
        var seenByAnn = await host.ConversationOfAsync(ann, conversation.Id);
        Assert.Equal((contactSeq, 0), (seenByAnn.Seq, seenByAnn.Labels.Count));

        // The same labels again (in another order and case): nothing changes.
        published = host.Events.Count;
        Assert.Equal(["billing", "vip"], await host.Send(host.Admin, new SetConversationLabels(conversation.Id, ["Billing", "VIP"])));
        Assert.Equal(published, host.Events.Count);
        Assert.Equal(after.Seq, (await host.ConversationOfAsync(host.Admin, conversation.Id)).Seq);
    }

    [Fact]
    public async Task Only_agents_of_the_inbox_touch_labels_and_a_list_is_bounded()
    {
        var (host, ann, conversation) = await SceneAsync(new Dictionary<string, string?> { ["Limits:MaxLabelsPerConversation"] = "2" });
        await using var _ = host;
        var outsider = await host.AgentAsync("Out", inboxId: null);

        await Refusal.Forbidden(() => host.Send(ann, new SetConversationLabels(conversation.Id, ["vip"])));
        await Refusal.Forbidden(() => host.Ask(ann, new GetConversationLabels(conversation.Id)));
        await Refusal.Forbidden(() => host.Send(outsider, new SetConversationLabels(conversation.Id, ["vip"])));
        await Refusal.Forbidden(() => host.Ask(outsider, new GetConversationLabels(conversation.Id)));
        await Refusal.NotFound(() => host.Send(host.Admin, new SetConversationLabels(999_999, ["vip"])));
        await Refusal.Invalid("labels", () => host.Send(host.Admin, new SetConversationLabels(conversation.Id, ["vip", "bug", "billing"])));
        foreach (var wrong in new[] { "", null, "two words" })
            await Refusal.Invalid("labels", () => host.Send(host.Admin, new SetConversationLabels(conversation.Id, [wrong])));
        Assert.Equal(["bug", "vip"], await host.Send(host.Admin, new SetConversationLabels(conversation.Id, ["vip", "bug"])));
    }

    [Fact]
    public async Task Agents_set_and_clear_the_priority_for_themselves()
    {
        var (host, ann, conversation) = await SceneAsync();
        await using var _ = host;
        var contactSeq = (await host.ConversationOfAsync(ann, conversation.Id)).Seq;

        var urgent = await host.Send(host.Admin, new SetPriority(conversation.Id, "urgent"));
        Assert.Equal("urgent", urgent.Priority);
        Assert.Equal("urgent", (await host.ConversationOfAsync(host.Admin, conversation.Id)).Priority);
        var update = host.Events.OfType<ConversationUpdated>().Last();
        Assert.Equal(("urgent", true), (update.Conversation.Priority, update.AgentsOnly));
        Assert.Equal("Admin set the priority to urgent", host.Events.OfType<MessageCreated>().Last().Message.Content);

        // The same priority changes nothing; none is null or empty (Chatwoot's priority.presence).
        var published = host.Events.Count;
        Assert.Equal(urgent.Seq, (await host.Send(host.Admin, new SetPriority(conversation.Id, "urgent"))).Seq);
        Assert.Equal(published, host.Events.Count);
        Assert.Equal("low", (await host.Send(host.Admin, new SetPriority(conversation.Id, "low"))).Priority);
        Assert.Null((await host.Send(host.Admin, new SetPriority(conversation.Id, ""))).Priority);
        Assert.Equal("Admin removed the priority", host.Events.OfType<MessageCreated>().Last().Message.Content);
        Assert.Null((await host.Send(host.Admin, new SetPriority(conversation.Id, null))).Priority);

        var seenByAnn = await host.ConversationOfAsync(ann, conversation.Id);
        Assert.Equal((contactSeq, (string?)null), (seenByAnn.Seq, seenByAnn.Priority));
        foreach (var wrong in new[] { "URGENT", "critical", "none" })
            await Refusal.Invalid("priority", () => host.Send(host.Admin, new SetPriority(conversation.Id, wrong)));
        await Refusal.Forbidden(() => host.Send(ann, new SetPriority(conversation.Id, "high")));
    }
}
