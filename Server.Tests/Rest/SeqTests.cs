using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>API.md "Gap-free, ordered delivery" over REST: every change takes the conversation's next seq, and
/// after_seq answers exactly the changes after it, in seq order.</summary>
public sealed class SeqTests
{
    [Fact]
    public async Task Every_change_takes_the_conversations_next_seq()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var helper = await server.CreateAgent("Uma");
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hello");
        var path = AgentConversationPath(conversation.Id);
        Assert.Equal(1, conversation.Seq);

        async Task<long> Seq() => (await admin.ConversationAsAgent(conversation.Id)).Seq;

        var reply = await admin.SendAsAgent(conversation.Id, "hi!");
        Assert.Equal(2, reply.Seq);
        Assert.Equal(2, await Seq());

        await admin.PostJson($"{path}/update_last_seen", null);
        Assert.Equal(3, await Seq()); // a seen marker is one change

        await server.Http.PostJson($"{server.ConversationPath(contact, conversation.Id)}/update_last_seen", null);
        Assert.Equal(4, await Seq());

        var pending = await admin.PostRead<ConversationDto>($"{path}/toggle_status", new { status = "pending" });
        Assert.True(pending.Seq > 4);
        var pendingActivity = (await admin.MessagesAsAgent(conversation.Id)).Last();
        Assert.Equal(MessageTypes.Activity, pendingActivity.MessageType);
        Assert.Equal(pending.Seq, pendingActivity.Seq);

        var assigned = await admin.PostRead<ConversationDto>($"{path}/assignments", new { assignee_id = helper.Id });
        Assert.True(assigned.Seq > pending.Seq);
        Assert.Equal(assigned.Seq, await Seq());

        var note = await admin.SendAsAgent(conversation.Id, "private", isPrivate: true);
        Assert.Equal(assigned.Seq + 1, note.Seq);

        var typingBefore = await Seq();
        await admin.PostJson($"{path}/toggle_typing", new { typing_status = "on" });
        Assert.Equal(typingBefore, await Seq()); // typing is not stored

        // Repeating a change that changes nothing takes no seq.
        await admin.PostRead<ConversationDto>($"{path}/assignments", new { assignee_id = helper.Id });
        await admin.PostRead<ConversationDto>($"{path}/toggle_status", new { status = "pending" });
        Assert.Equal(typingBefore, await Seq());

        // Every stored message has its own seq, and they are unique.
        var all = await admin.MessagesAsAgent(conversation.Id, "?limit=100");
        Assert.Equal(all.Count, all.Select(m => m.Seq).Distinct().Count());
        Assert.All(all, m => Assert.InRange(m.Seq, 1, typingBefore));
    }

    [Fact]
    public async Task After_seq_answers_exactly_the_changes_after_it_in_seq_order()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hello");
        var question = await admin.SendAsAgent(conversation.Id, "Which one?", contentType: "input_select",
            contentAttributes: new { items = new[] { new { title = "A", value = "a" } } });
        await server.SendAsContact(contact, conversation.Id, "thinking...");
        await admin.PostRead<ConversationDto>($"{AgentConversationPath(conversation.Id)}/toggle_status", new { status = "resolved" });
        await server.SendAsContact(contact, conversation.Id, "wait, one more"); // reopens
        await admin.SendAsAgent(conversation.Id, "internal", isPrivate: true);
        // Answering the question updates an old message: it moves to the end of the seq order.
        var answered = await (await server.Http.PatchJson($"{server.ConversationPath(contact, conversation.Id)}/messages/{question.Id}",
            new { submitted_values = new[] { new { value = "a" } } })).Read<MessageDto>();

        var agentAll = await admin.MessagesAsAgent(conversation.Id, "?limit=100");
        var agentSeq = (await admin.ConversationAsAgent(conversation.Id)).Seq;
        Assert.Equal(answered.Id, agentAll.MaxBy(m => m.Seq)!.Id);
        for (long from = 0; from <= agentSeq; from++)
        {
            var expected = agentAll.Where(m => m.Seq > from).OrderBy(m => m.Seq).Select(m => (m.Id, m.Seq)).ToList();
            var actual = await admin.MessagesAsAgent(conversation.Id, $"?after_seq={from}");
            Assert.Equal(expected, actual.Select(m => (m.Id, m.Seq)).ToList());
        }
        Assert.Empty(await admin.MessagesAsAgent(conversation.Id, $"?after_seq={agentSeq}"));

        var contactAll = await server.MessagesAsContact(contact, conversation.Id, "?limit=100");
        var contactSeq = (await server.ConversationAsContact(contact, conversation.Id)).Seq;
        Assert.DoesNotContain(contactAll, m => m.Private);
        Assert.Equal(answered.Id, contactAll.MaxBy(m => m.Seq)!.Id);
        Assert.Equal(contactSeq, answered.Seq);
        for (long from = 0; from <= contactSeq; from++)
        {
            var expected = contactAll.Where(m => m.Seq > from).OrderBy(m => m.Seq).Select(m => (m.Id, m.Seq)).ToList();
            var actual = await server.MessagesAsContact(contact, conversation.Id, $"?after_seq={from}");
            Assert.Equal(expected, actual.Select(m => (m.Id, m.Seq)).ToList());
        }
    }

    [Fact]
    public async Task After_seq_pages_forward_with_limit_until_caught_up()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "m0");
        for (var i = 1; i < 45; i++) await server.SendAsContact(contact, conversation.Id, $"m{i}");

        var received = new List<MessageDto>();
        long lastSeq = 0;
        while (true)
        {
            var page = await server.MessagesAsContact(contact, conversation.Id, $"?after_seq={lastSeq}&limit=20");
            if (page.Count == 0) break;
            received.AddRange(page);
            lastSeq = page[^1].Seq;
        }
        Assert.Equal(Enumerable.Range(1, 45).Select(i => (long)i), received.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(0, 45).Select(i => $"m{i}"), received.Select(m => m.Content));
    }

    [Fact]
    public async Task Concurrent_sends_from_both_sides_take_distinct_consecutive_seqs()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "start");

        var sends = Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? server.SendAsContact(contact, conversation.Id, $"contact {i}")
            : admin.SendAsAgent(conversation.Id, $"agent {i}"));
        var answers = await Task.WhenAll(sends);

        Assert.Equal(Enumerable.Range(2, 20).Select(i => (long)i), answers.Select(m => m.Seq).Order());
        var stored = await admin.MessagesAsAgent(conversation.Id, "?limit=100");
        Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Equal(stored.Select(m => m.Id).Order(), stored.Select(m => m.Id)); // id order and seq order agree
        Assert.Equal(21, (await admin.ConversationAsAgent(conversation.Id)).Seq);
    }

    [Fact]
    public async Task Contact_seq_skips_nothing_when_agents_write_private_notes()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "c1");
        for (var i = 0; i < 5; i++)
        {
            await admin.SendAsAgent(conversation.Id, $"note {i}", isPrivate: true);
            await admin.SendAsAgent(conversation.Id, $"reply {i}");
            await server.SendAsContact(contact, conversation.Id, $"c{i + 2}");
        }

        var contactView = await server.MessagesAsContact(contact, conversation.Id, "?limit=100");
        Assert.Equal(11, contactView.Count);
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), contactView.Select(m => m.Seq));
        Assert.Equal(11, (await server.ConversationAsContact(contact, conversation.Id)).Seq);

        var agentView = await admin.MessagesAsAgent(conversation.Id, "?limit=100");
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), agentView.Select(m => m.Seq));
    }
}
