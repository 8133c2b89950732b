using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Conversations;

/// <summary>OpenConversation, in-process: an agent or bot opens an outbound conversation with a contact of an inbox it
/// is a member of, named by contact_id or source_id, optionally with a first outgoing message; the contact is told
/// (its stream), the agents too; nobody else may.</summary>
public sealed class OpenConversationTests
{
    [Fact]
    public async Task An_agent_opens_a_conversation_with_a_first_message_the_contact_sees()
    {
        await using var host = await UseCaseHost.StartAsync();
        var grace = await host.AgentAsync("Grace");
        var ann = await host.NewContactAsync("Ann");

        var opened = await host.Send(grace, new OpenConversation(UseCaseHost.InboxId, ann.Id, null, null, "Hello from us"));
        Assert.Equal((ann.Id, ConversationStatuses.Open, UseCaseHost.InboxId), (opened.ContactId, opened.Status, opened.InboxId));
        var first = Assert.Single(opened.Messages);
        Assert.Equal(("Hello from us", MessageTypes.Outgoing, grace.Id), (first.Content, first.MessageType, first.Sender!.Id));
        Assert.Equal("Ann", opened.Contact!.Name);
        Assert.Contains(host.Events, e => e is ConversationCreated c && c.Conversation.Id == opened.Id && c.ContactPubsubToken == ann.PubsubToken);

        var contact = await host.CallerOfContactAsync(ann.Id);
        Assert.Equal(["Hello from us"], (await host.MessagesAsync(contact, opened.Id)).Select(m => m.Content));
    }

    [Fact]
    public async Task The_contact_may_be_named_by_its_source_id_in_the_inbox_and_the_message_is_optional()
    {
        await using var host = await UseCaseHost.StartAsync();
        var ann = await host.NewContactAsync("Ann");

        var opened = await host.Send(host.Admin, new OpenConversation(UseCaseHost.InboxId, null, ann.SourceId, new() { ["topic"] = Json("\"renewal\"") }, null));
        Assert.Equal(ann.Id, opened.ContactId);
        Assert.Empty(opened.Messages);
        Assert.Equal("renewal", opened.CustomAttributes!["topic"].GetString());
        await Refusal.NotFound(() => host.Send(host.Admin, new OpenConversation(UseCaseHost.InboxId, null, "no-such-source", null, null)));
    }

    [Fact]
    public async Task The_inbox_and_a_contact_are_required_and_must_belong_together_and_to_the_agent()
    {
        await using var host = await UseCaseHost.StartAsync();
        var sales = await host.InboxAsync("Sales");
        var grace = await host.AgentAsync("Grace");
        var ann = await host.NewContactAsync("Ann");
        var bob = await host.NewContactAsync("Bob", inboxIdentifier: sales.Identifier);

        await Refusal.Invalid("inbox_id", () => host.Send(grace, new OpenConversation(null, ann.Id, null, null, null)));
        await Refusal.Invalid("contact_id", () => host.Send(grace, new OpenConversation(UseCaseHost.InboxId, null, null, null, null)));
        await Refusal.Invalid("message.content", () => host.Send(grace, new OpenConversation(UseCaseHost.InboxId, ann.Id, null, null, " ")));
        await Refusal.Invalid("contact_id", () => host.Send(host.Admin, new OpenConversation(UseCaseHost.InboxId, bob.Id, null, null, null)));
        await Refusal.Forbidden(() => host.Send(grace, new OpenConversation(sales.Id, bob.Id, null, null, null)));
        await Refusal.NotFound(() => host.Send(grace, new OpenConversation(999_999, ann.Id, null, null, null)));
        await Refusal.NotFound(() => host.Send(grace, new OpenConversation(UseCaseHost.InboxId, 999_999, null, null, null)));
        var contact = await host.CallerOfContactAsync(ann.Id);
        await Refusal.Forbidden(() => host.Send(contact, new OpenConversation(UseCaseHost.InboxId, ann.Id, null, null, null)));
    }

    private static System.Text.Json.JsonElement Json(string text) => System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
}
