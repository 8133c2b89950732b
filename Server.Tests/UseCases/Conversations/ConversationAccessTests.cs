using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Identity;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>Who may touch a conversation (ConversationAccess), for every use case that names one: a contact only its
/// own (anything else is "not found", exactly as for an id that does not exist, so nothing leaks); an agent only those of
/// its inboxes (403); and a refused call changes nothing.</summary>
public sealed class ConversationAccessTests
{
    private static readonly JsonElement Values = JsonDocument.Parse("""{"a":1}""").RootElement;

    /// <summary>Every use case that names a conversation (or a message of one), as a caller would call it.</summary>
    private static IEnumerable<(string Name, Func<UseCaseHost, Caller, long, long, Task> Call)> Calls(bool withSubmit = true)
    {
        yield return ("GetConversation", (h, c, id, _) => h.Ask(c, new GetConversation(id)));
        yield return ("GetMessages", (h, c, id, _) => h.Ask(c, new GetMessages(id, null, null, null)));
        yield return ("resync", (h, c, id, _) => h.Ask(c, new GetMessages(id, null, 0, null)));
        yield return ("SendMessage", (h, c, id, _) => h.SayAsync(c, id, "intrude"));
        yield return ("SetStatus", (h, c, id, _) => h.Send(c, new SetStatus(id, c.IsContact ? null : "resolved")));
        yield return ("SetTyping", (h, c, id, _) => h.Ask(c, new SetTyping(id, true)));
        yield return ("MarkSeen", (h, c, id, _) => h.Send(c, new MarkSeen(id)));
        if (withSubmit) yield return ("SubmitValues", (h, c, _, m) => h.Send(c, new SubmitValues(m, Values)));
    }

    [Fact]
    public async Task A_contact_gets_not_found_for_anything_of_another_contacts_conversation_as_for_a_missing_one()
    {
        await using var host = await UseCaseHost.StartAsync();
        var alice = await host.ContactAsync("Alice");
        var bob = await host.ContactAsync("Bob");
        var bobs = await host.ConversationAsync(bob, "Bob's secret");
        var question = await host.SayAsync(host.Admin, bobs.Id, "Pick one", contentType: "input_select",
            contentAttributes: JsonDocument.Parse("""{"items":[{"title":"A","value":"a"}]}""").RootElement);
        var published = host.Events.Count;

        foreach (var (name, call) in Calls())
        {
            var foreign = await Refusal.NotFound(() => call(host, alice, bobs.Id, question.Id));
            var missing = await Refusal.NotFound(() => call(host, alice, 987_654, 987_654));
            Assert.True(foreign.Detail == missing.Detail, $"{name}: '{foreign.Detail}' tells a foreign id from a missing one '{missing.Detail}'");
            Assert.DoesNotContain("Bob", foreign.Detail);
        }

        // Nothing of Bob's changed, nothing was published, and Alice lists nothing.
        Assert.Equal(published, host.Events.Count);
        var after = await host.ConversationOfAsync(bob, bobs.Id);
        Assert.Equal((ConversationStatuses.Open, (long?)null, 2), (after.Status, after.ContactLastSeenAt, after.Messages.Count));
        Assert.False(after.Messages[1].ContentAttributes!.Value.TryGetProperty("submitted_values", out _));
        Assert.Empty((await host.Ask(alice, new ListConversations("all", null, null, null))).Conversations);
    }

    [Fact]
    public async Task An_agent_outside_the_inbox_is_forbidden_everything_of_its_conversations_and_lists_none()
    {
        await using var host = await UseCaseHost.StartAsync();
        var trent = await host.AgentAsync("Trent", inboxId: null);
        var conversation = await host.ConversationAsync(await host.ContactAsync(), "hi");
        var published = host.Events.Count;

        foreach (var (name, call) in Calls(withSubmit: false))
            await Refusal.Forbidden(() => call(host, trent, conversation.Id, 0));
        await Refusal.Forbidden(() => host.Send(trent, new Assign(conversation.Id, trent.Id)));
        await Refusal.Forbidden(() => host.Ask(trent, new ListConversations(null, 1, null, null)));

        var list = await host.Ask(trent, new ListConversations("all", null, null, null));
        Assert.Empty(list.Conversations);
        Assert.Equal(0, list.Total);
        Assert.Equal(published, host.Events.Count);
        var unchanged = await host.ConversationOfAsync(host.Admin, conversation.Id);
        Assert.Equal((ConversationStatuses.Open, (long?)null, 1), (unchanged.Status, unchanged.AssigneeId, unchanged.Messages.Count));
    }

    [Fact]
    public async Task A_member_agent_gets_not_found_for_a_missing_conversation_and_anonymous_callers_are_refused()
    {
        await using var host = await UseCaseHost.StartAsync();
        foreach (var (name, call) in Calls(withSubmit: false))
            await Refusal.NotFound(() => call(host, host.Admin, 987_654, 0));

        var conversation = await host.ConversationAsync(await host.ContactAsync(), "hi");
        foreach (var caller in new[] { Caller.Anonymous, Caller.Operator })
            await Refusal.Forbidden(() => host.Ask(caller, new GetConversation(conversation.Id)));
    }

    [Fact]
    public async Task A_contact_of_another_inbox_is_a_stranger_too()
    {
        await using var host = await UseCaseHost.StartAsync();
        var other = await host.InboxAsync("Other");
        var stranger = await host.ContactAsync("Stranger", inboxIdentifier: other.Identifier);
        var ann = await host.ContactAsync("Ann");
        var anns = await host.ConversationAsync(ann, "hi");
        var strangers = await host.ConversationAsync(stranger, "hi");
        Assert.Equal(other.Id, strangers.InboxId);

        await Refusal.NotFound(() => host.Ask(stranger, new GetConversation(anns.Id)));
        await Refusal.NotFound(() => host.Ask(ann, new GetConversation(strangers.Id)));
        // The administrator created the other inbox and is a member of both.
        Assert.Equal(strangers.Id, (await host.ConversationOfAsync(host.Admin, strangers.Id)).Id);
        var grace = await host.AgentAsync(inboxId: 1);
        await Refusal.Forbidden(() => host.Ask(grace, new GetConversation(strangers.Id)));
    }
}
