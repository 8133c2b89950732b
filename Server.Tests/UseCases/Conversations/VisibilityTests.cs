using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>Customers see the conversation, not the team's internals (Visibility), in every answer a contact gets: no
/// private notes, no activity lines, a seq stream without gaps where they were written, and a private note changes
/// nothing a customer can observe (seq, last activity, list order).</summary>
public sealed class VisibilityTests
{
    /// <summary>Every answer that shows a contact messages of the conversation.</summary>
    private static async Task<IEnumerable<IReadOnlyList<MessageDto>>> WhatTheContactSees(UseCaseHost host, Identity.Caller contact, long conversationId) =>
    [
        await host.MessagesAsync(contact, conversationId),
        await host.MessagesAsync(contact, conversationId, afterSeq: 0),
        (await host.ConversationOfAsync(contact, conversationId)).Messages,
        (await host.Ask(contact, new ListConversations("all", null, null, null))).Conversations.Single(c => c.Id == conversationId).Messages,
    ];

    [Fact]
    public async Task Private_notes_are_the_agents_and_the_contacts_seq_has_no_gap_where_they_were_written()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "c1");
        var notes = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var note = await host.SayAsync(host.Admin, conversation.Id, $"note {i}", isPrivate: true);
            Assert.True(note.Private);
            notes.Add(note.Id);
            await host.SayAsync(host.Admin, conversation.Id, $"reply {i}");
            await host.SayAsync(ann, conversation.Id, $"c{i + 2}");
        }

        foreach (var messages in await WhatTheContactSees(host, ann, conversation.Id))
            Assert.DoesNotContain(messages, m => m.Private || notes.Contains(m.Id));
        var contactView = await host.MessagesAsync(ann, conversation.Id);
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), contactView.Select(m => m.Seq));
        Assert.Equal(11, (await host.ConversationOfAsync(ann, conversation.Id)).Seq);

        var agentView = await host.MessagesAsync(host.Admin, conversation.Id);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), agentView.Select(m => m.Seq));
        Assert.Equal(notes, agentView.Where(m => m.Private).Select(m => m.Id));
        Assert.Equal(16, (await host.ConversationOfAsync(host.Admin, conversation.Id)).Seq);
        // The notes' events are not the contact's.
        Assert.All(host.Events.OfType<MessageCreated>().Where(e => notes.Contains(e.Message.Id)), e => Assert.False(Visibility.ContactSees(e)));
        Assert.Equal(11, host.Events.OfType<MessageCreated>().Count(Visibility.ContactSees));
    }

    [Fact]
    public async Task Activity_lines_are_the_agents_and_take_no_contact_seq()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hello");
        await host.Send(host.Admin, new Assign(conversation.Id, 1));
        await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Pending));
        await host.Send(host.Admin, new SetStatus(conversation.Id, ConversationStatuses.Open));
        await host.SayAsync(host.Admin, conversation.Id, "done");

        Assert.Equal(3, (await host.MessagesAsync(host.Admin, conversation.Id)).Count(m => m.MessageType == MessageTypes.Activity));
        foreach (var messages in await WhatTheContactSees(host, ann, conversation.Id))
            Assert.Equal(["hello", "done"], messages.Select(m => m.Content));
        // Contact seqs: 0 created, 1 hello, 2 assigned, 3 pending, 4 open, 5 the reply.
        Assert.Equal([1L, 5L], (await host.MessagesAsync(ann, conversation.Id)).Select(m => m.Seq));
        Assert.Equal(5, (await host.ConversationOfAsync(ann, conversation.Id)).Seq);
        Assert.All(host.Events.OfType<MessageCreated>().Where(e => e.Message.MessageType == MessageTypes.Activity),
            e => Assert.False(Visibility.ContactSees(e)));
    }

    [Fact]
    public async Task A_private_note_moves_neither_the_contacts_seq_nor_the_last_activity_nor_any_list_order()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var older = await host.ConversationAsync(ann, "first question");
        await Task.Delay(5); // activity is ordered by the millisecond
        var newer = await host.ConversationAsync(ann, "second question");
        var before = await host.Store.ReadAsync(r => r.GetConversationAsync(older.Id));
        await Task.Delay(5);

        await host.SayAsync(host.Admin, older.Id, "internal: VIP customer", isPrivate: true);

        var after = await host.Store.ReadAsync(r => r.GetConversationAsync(older.Id));
        Assert.Equal((before!.ContactSeq, before.LastActivityAt), (after!.ContactSeq, after.LastActivityAt));
        Assert.Equal(before.Seq + 1, after.Seq); // the agents' stream has it
        Assert.Equal([newer.Id, older.Id], (await host.Ask(ann, new ListConversations("all", null, null, null))).Conversations.Select(c => c.Id));
        Assert.Equal([newer.Id, older.Id], (await host.Ask(host.Admin, new ListConversations(null, null, null, null))).Conversations.Select(c => c.Id));
    }
}
