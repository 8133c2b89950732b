using ChatHub.Contracts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>API.md "Gap-free, ordered delivery", in-process: every change takes the conversation's next seq (in the
/// agents' stream, and in the contact's when the contact sees it); GetMessages pages history before a message and
/// answers exactly the changes after a seq, in seq order; GetConversation carries the newest page.</summary>
public sealed class HistoryAndSeqTests
{
    [Fact]
    public async Task History_is_oldest_first_the_newest_page_by_default_and_pages_back_before_a_message()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "m1");
        var sent = new List<MessageDto> { conversation.Messages[0] };
        for (var i = 2; i <= 30; i++) sent.Add(await host.SayAsync(ann, conversation.Id, $"m{i}"));
        async Task<IReadOnlyList<MessageDto>> Page(long? before = null, long? afterSeq = null, int? limit = null) =>
            (await host.Ask(ann, new GetMessages(conversation.Id, before, afterSeq, limit))).Messages;

        Assert.Equal(sent.Skip(10).Select(m => m.Id), (await Page()).Select(m => m.Id)); // default limit 20, the newest
        var five = await Page(limit: 5);
        Assert.Equal(sent.Skip(25).Select(m => m.Id), five.Select(m => m.Id));
        Assert.Equal(sent.Skip(20).Take(5).Select(m => m.Id), (await Page(before: five[0].Id, limit: 5)).Select(m => m.Id));
        Assert.Equal(sent.Take(3).Select(m => m.Id), (await Page(before: sent[3].Id, limit: 100)).Select(m => m.Id));
        Assert.Equal([28L, 29L, 30L], (await Page(afterSeq: 27)).Select(m => m.Seq));
        Assert.Equal([1L, 2L, 3L], (await Page(afterSeq: 0, limit: 3)).Select(m => m.Seq)); // resync pages forward from the seq
        var all = await Page(limit: 100);
        Assert.Equal(sent.Select(m => m.Id), all.Select(m => m.Id));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), all.Select(m => m.Seq));

        // GetConversation carries the newest page, oldest first.
        var shown = await host.ConversationOfAsync(ann, conversation.Id);
        Assert.Equal(30, shown.Seq);
        Assert.Equal(Enumerable.Range(11, 20).Select(i => $"m{i}"), shown.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task A_page_says_whether_there_is_more_backwards_and_forwards()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, firstMessage: null);
        for (var i = 1; i <= 7; i++) await host.SayAsync(ann, conversation.Id, $"m{i}");
        Task<GetMessagesResult> Get(long? before = null, long? afterSeq = null, int? limit = null) =>
            host.Ask(ann, new GetMessages(conversation.Id, before, afterSeq, limit));

        var newest = await Get(limit: 3);
        Assert.Equal(["m5", "m6", "m7"], newest.Messages.Select(m => m.Content));
        Assert.True(newest.HasMore);
        Assert.Equal(7, newest.Conversation.Seq);
        var older = await Get(before: newest.Messages[0].Id, limit: 3);
        Assert.Equal(["m2", "m3", "m4"], older.Messages.Select(m => m.Content));
        var oldest = await Get(before: older.Messages[0].Id, limit: 3);
        Assert.Equal(["m1"], oldest.Messages.Select(m => m.Content));
        Assert.False(oldest.HasMore);

        var after = await host.Ask(host.Admin, new GetMessages(conversation.Id, null, 4, 2));
        Assert.Equal([5L, 6L], after.Messages.Select(m => m.Seq));
        Assert.True(after.HasMore);
        var rest = await host.Ask(host.Admin, new GetMessages(conversation.Id, null, 6, null));
        Assert.Equal([7L], rest.Messages.Select(m => m.Seq));
        Assert.False(rest.HasMore);
    }

    [Fact]
    public async Task Bad_page_arguments_are_refused_by_name()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        foreach (var limit in new int?[] { 0, -1, 101 })
            await Refusal.Invalid("limit", () => host.Ask(ann, new GetMessages(conversation.Id, null, null, limit)));
        foreach (var before in new long?[] { 0, -3 })
            await Refusal.Invalid("before", () => host.Ask(ann, new GetMessages(conversation.Id, before, null, null)));
        await Refusal.Invalid("after_seq", () => host.Ask(ann, new GetMessages(conversation.Id, null, -1, null)));
        Assert.Single(await host.MessagesAsync(ann, conversation.Id, limit: 100));
        Assert.Single(await host.MessagesAsync(ann, conversation.Id, limit: 1));
    }

    [Fact]
    public async Task Every_change_takes_the_conversations_next_seq_and_repeating_one_takes_none()
    {
        await using var host = await UseCaseHost.StartAsync();
        var uma = await host.NewAgentAsync("Uma");
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");
        Assert.Equal(1, conversation.Seq);
        async Task<long> Seq() => (await host.ConversationOfAsync(host.Admin, conversation.Id)).Seq;

        Assert.Equal(2, (await host.SayAsync(host.Admin, conversation.Id, "hi!")).Seq);
        await host.Send(host.Admin, new MarkSeen(conversation.Id));
        Assert.Equal(3, await Seq()); // a seen marker is one change
        await host.Send(ann, new MarkSeen(conversation.Id));
        Assert.Equal(4, await Seq());

        var pending = await host.Send(host.Admin, new SetStatus(conversation.Id, "pending"));
        Assert.True(pending.Seq > 4);
        var pendingActivity = (await host.MessagesAsync(host.Admin, conversation.Id)).Last();
        Assert.Equal((MessageTypes.Activity, pending.Seq), (pendingActivity.MessageType, pendingActivity.Seq));
        var assigned = await host.Send(host.Admin, new Assign(conversation.Id, uma.Id));
        Assert.True(assigned.Seq > pending.Seq);
        Assert.Equal(assigned.Seq, await Seq());
        Assert.Equal(assigned.Seq + 1, (await host.SayAsync(host.Admin, conversation.Id, "private", isPrivate: true)).Seq);

        var before = await Seq();
        await host.Ask(host.Admin, new SetTyping(conversation.Id, true)); // typing is not stored
        await host.Send(host.Admin, new Assign(conversation.Id, uma.Id)); // nor a change that changes nothing
        await host.Send(host.Admin, new SetStatus(conversation.Id, "pending"));
        Assert.Equal(before, await Seq());

        var all = await host.MessagesAsync(host.Admin, conversation.Id);
        Assert.Equal(all.Count, all.Select(m => m.Seq).Distinct().Count());
        Assert.All(all, m => Assert.InRange(m.Seq, 1, before));
    }

    [Fact]
    public async Task After_a_seq_answers_exactly_the_later_changes_in_seq_order_in_each_viewers_stream()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");
        var question = await host.SayAsync(host.Admin, conversation.Id, "Which one?", contentType: "input_select",
            contentAttributes: System.Text.Json.JsonDocument.Parse("""{"items":[{"title":"A","value":"a"}]}""").RootElement);
        await host.SayAsync(ann, conversation.Id, "thinking...");
        await host.Send(host.Admin, new SetStatus(conversation.Id, "resolved"));
        await host.SayAsync(ann, conversation.Id, "wait, one more"); // reopens
        await host.SayAsync(host.Admin, conversation.Id, "internal", isPrivate: true);
        // Answering the question updates an old message: it moves to the end of the seq order.
        var answered = await host.Send(ann, new SubmitValues(question.Id, System.Text.Json.JsonDocument.Parse("""[{"value":"a"}]""").RootElement));

        foreach (var viewer in new[] { host.Admin, ann })
        {
            var all = await host.MessagesAsync(viewer, conversation.Id);
            var seq = (await host.ConversationOfAsync(viewer, conversation.Id)).Seq;
            Assert.Equal(answered.Id, all.MaxBy(m => m.Seq)!.Id);
            for (long from = 0; from <= seq; from++)
            {
                var expected = all.Where(m => m.Seq > from).OrderBy(m => m.Seq).Select(m => (m.Id, m.Seq)).ToList();
                Assert.Equal(expected, (await host.MessagesAsync(viewer, conversation.Id, afterSeq: from)).Select(m => (m.Id, m.Seq)).ToList());
            }
            Assert.Empty(await host.MessagesAsync(viewer, conversation.Id, afterSeq: seq));
        }
        var contactView = await host.MessagesAsync(ann, conversation.Id);
        Assert.DoesNotContain(contactView, m => m.Private);
        Assert.Equal((await host.ConversationOfAsync(ann, conversation.Id)).Seq, answered.Seq);
    }

    [Fact]
    public async Task Resync_pages_forward_with_a_limit_until_caught_up()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "m0");
        for (var i = 1; i < 45; i++) await host.SayAsync(ann, conversation.Id, $"m{i}");

        var received = new List<MessageDto>();
        long lastSeq = 0;
        while ((await host.MessagesAsync(ann, conversation.Id, afterSeq: lastSeq, limit: 20)) is { Count: > 0 } page)
        {
            received.AddRange(page);
            lastSeq = page[^1].Seq;
        }
        Assert.Equal(Enumerable.Range(1, 45).Select(i => (long)i), received.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(0, 45).Select(i => $"m{i}"), received.Select(m => m.Content));
    }

    [Fact]
    public async Task Concurrent_sends_from_both_sides_take_distinct_consecutive_seqs_in_id_order()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "start");

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? host.SayAsync(ann, conversation.Id, $"contact {i}", echoId: $"c{i}")
            : host.SayAsync(host.Admin, conversation.Id, $"agent {i}", echoId: $"a{i}")));

        Assert.Equal(Enumerable.Range(2, 40).Select(i => (long)i), answers.Select(m => m.Seq).Order());
        var stored = await host.MessagesAsync(host.Admin, conversation.Id);
        Assert.Equal(Enumerable.Range(1, 41).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Equal(stored.Select(m => m.Id).Order(), stored.Select(m => m.Id)); // id order and seq order agree
        Assert.Equal(41, (await host.ConversationOfAsync(host.Admin, conversation.Id)).Seq);
        // The published events carry the same seqs, once each.
        Assert.Equal(Enumerable.Range(1, 41).Select(i => (long)i), host.Events.OfType<Application.Events.MessageCreated>().Select(e => e.Message.Seq).Order());
    }
}
