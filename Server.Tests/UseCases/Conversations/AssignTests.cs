using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>Assign's rules, in-process: agents only, an assignee among the inbox's members (or null), one seq and an
/// activity line per change, nothing for a change that changes nothing.</summary>
public sealed class AssignTests
{
    [Fact]
    public async Task An_agent_assigns_a_member_unassigns_with_null_and_the_answer_carries_the_assignee()
    {
        await using var host = await UseCaseHost.StartAsync();
        var kim = await host.NewAgentAsync("Kim");
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");

        var assigned = await host.Send(host.Admin, new Assign(conversation.Id, kim.Id));
        Assert.Equal(kim.Id, assigned.AssigneeId);
        Assert.Equal((kim.Id, "Kim", SenderTypes.Agent), (assigned.Assignee!.Id, assigned.Assignee.Name, assigned.Assignee.Type));
        Assert.Equal(kim.Id, (await host.ConversationOfAsync(host.Admin, conversation.Id)).AssigneeId);
        Assert.Equal(kim.Id, host.Events.OfType<ConversationUpdated>().Last().Conversation.AssigneeId);
        Assert.Null(host.Events.OfType<ConversationUpdated>().Last().PreviousStatus);

        var unassigned = await host.Send(host.Admin, new Assign(conversation.Id, null));
        Assert.Null(unassigned.AssigneeId);
        Assert.Null(unassigned.Assignee);
        Assert.Null((await host.ConversationOfAsync(host.Admin, conversation.Id)).AssigneeId);

        Assert.Equal(["Assigned to Kim by Admin", "Conversation unassigned by Admin"],
            (await host.MessagesAsync(host.Admin, conversation.Id)).Where(m => m.MessageType == MessageTypes.Activity).Select(m => m.Content));
    }

    [Fact]
    public async Task The_assignee_must_be_an_agent_of_the_conversations_inbox()
    {
        await using var host = await UseCaseHost.StartAsync();
        var kim = await host.NewAgentAsync("Kim");
        var outsider = await host.NewAgentAsync("Lee", inboxId: null);
        var conversation = await host.ConversationAsync(await host.ContactAsync(), "hi");
        await host.Send(host.Admin, new Assign(conversation.Id, kim.Id));

        foreach (var id in new long?[] { outsider.Id, 999_999 })
            await Refusal.Invalid("assignee_id", () => host.Send(host.Admin, new Assign(conversation.Id, id)));
        foreach (var id in new long?[] { 0, -5 })
            await Refusal.Invalid("assignee_id", () => host.Send(host.Admin, new Assign(conversation.Id, id)));
        Assert.Equal(kim.Id, (await host.ConversationOfAsync(host.Admin, conversation.Id)).AssigneeId);
    }

    [Fact]
    public async Task Only_agents_assign()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.ContactAsync();
        var conversation = await host.ConversationAsync(ann, "hi");
        await Refusal.Forbidden(() => host.Send(ann, new Assign(conversation.Id, 1)));
        Assert.Null((await host.ConversationOfAsync(host.Admin, conversation.Id)).AssigneeId);
    }

    [Fact]
    public async Task Assigning_the_assignee_again_takes_no_seq_and_publishes_nothing()
    {
        await using var host = await UseCaseHost.StartAsync();
        var conversation = await host.ConversationAsync(await host.ContactAsync(), "hi");
        var assigned = await host.Send(host.Admin, new Assign(conversation.Id, 1));
        var published = host.Events.Count;
        var again = await host.Send(host.Admin, new Assign(conversation.Id, 1));
        Assert.Equal(assigned.Seq, again.Seq);
        Assert.Equal(published, host.Events.Count);
    }
}
