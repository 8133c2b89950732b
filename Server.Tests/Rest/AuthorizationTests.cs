using System.Net;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Who may touch what over REST: contacts only their own conversations (404, no existence leak),
/// agents only their inboxes' (403), and the agent API only with a valid agent access token (401).</summary>
public sealed class AuthorizationTests
{
    [Fact]
    public async Task Contact_cannot_read_post_or_toggle_another_contacts_conversation()
    {
        await using var server = await ChatServer.StartAsync();
        using var agent = server.AdminHttp();
        var alice = await server.CreateContact("Alice");
        var bob = await server.CreateContact("Bob");
        var bobs = await server.StartConversation(bob, "Bob's secret");
        var question = await agent.SendAsAgent(bobs.Id, "Pick one", contentType: "input_select",
            contentAttributes: new { items = new[] { new { title = "A", value = "a" } } });
        var asAlice = server.ConversationPath(alice, bobs.Id);

        var attempts = new (string What, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("get", () => server.Http.GetAsync(asAlice)),
            ("messages", () => server.Http.GetAsync($"{asAlice}/messages")),
            ("resync", () => server.Http.GetAsync($"{asAlice}/messages?after_seq=0")),
            ("post", () => server.Http.PostJson($"{asAlice}/messages", new { content = "hijack" })),
            ("toggle_status", () => server.Http.PostJson($"{asAlice}/toggle_status", null)),
            ("toggle_typing", () => server.Http.PostJson($"{asAlice}/toggle_typing", new { typing_status = "on" })),
            ("update_last_seen", () => server.Http.PostJson($"{asAlice}/update_last_seen", null)),
            ("submit", () => server.Http.PatchJson($"{asAlice}/messages/{question.Id}", new { submitted_values = new { a = 1 } })),
        };
        foreach (var (what, send) in attempts)
        {
            var problem = await (await send()).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
            Assert.DoesNotContain("Bob", problem.ToString());
        }

        // A conversation that does not exist answers exactly the same.
        var missing = await (await server.Http.GetAsync(server.ConversationPath(alice, 987_654))).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var foreign = await (await server.Http.GetAsync(asAlice)).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.Equal(missing.GetProperty("detail").GetString(), foreign.GetProperty("detail").GetString());

        // Nothing of Bob's changed.
        var after = await server.ConversationAsContact(bob, bobs.Id);
        Assert.Equal("open", after.Status);
        Assert.Equal(0, after.ContactLastSeenAt); // never seen: 0, as Chatwoot
        Assert.Equal(2, after.Messages.Count);
        Assert.False(after.Messages[1].ContentAttributes!.Value.TryGetProperty("submitted_values", out _));
        Assert.Empty(await server.Http.GetRead<List<ConversationDto>>($"{server.ContactPath(alice)}/conversations"));
    }

    [Fact]
    public async Task Contact_cannot_submit_values_to_a_message_through_its_own_conversation_path()
    {
        await using var server = await ChatServer.StartAsync();
        using var agent = server.AdminHttp();
        var alice = await server.CreateContact("Alice");
        var bob = await server.CreateContact("Bob");
        var alices = await server.StartConversation(alice, "hi");
        var bobs = await server.StartConversation(bob, "hi");
        var bobsQuestion = await agent.SendAsAgent(bobs.Id, "Rate us", contentType: "input_csat");
        var alicesQuestion = await agent.SendAsAgent(alices.Id, "Rate us", contentType: "input_csat");

        await (await server.Http.PatchJson($"{server.ConversationPath(alice, alices.Id)}/messages/{bobsQuestion.Id}",
            new { submitted_values = new { rating = 1 } })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        // Alice's own message, but named under Bob's conversation: still not found.
        await (await server.Http.PatchJson($"{server.ConversationPath(bob, bobs.Id)}/messages/{alicesQuestion.Id}",
            new { submitted_values = new { rating = 1 } })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var note = await agent.SendAsAgent(alices.Id, "internal", isPrivate: true);
        await (await server.Http.PatchJson($"{server.ConversationPath(alice, alices.Id)}/messages/{note.Id}",
            new { submitted_values = new { rating = 1 } })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Agent_not_a_member_of_the_inbox_gets_403_and_does_not_see_its_conversations()
    {
        await using var server = await ChatServer.StartAsync();
        var outsider = await server.CreateAgent("Trent", inboxId: null);
        using var trent = server.AgentHttp(outsider.AccessToken!);
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");
        var path = AgentConversationPath(conversation.Id);

        var attempts = new (string What, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("get", () => trent.GetAsync(path)),
            ("messages", () => trent.GetAsync($"{path}/messages")),
            ("post", () => trent.PostJson($"{path}/messages", new { content = "hello" })),
            ("assign", () => trent.PostJson($"{path}/assignments", new { assignee_id = outsider.Id })),
            ("toggle_status", () => trent.PostJson($"{path}/toggle_status", new { status = "resolved" })),
            ("toggle_typing", () => trent.PostJson($"{path}/toggle_typing", new { typing_status = "on" })),
            ("update_last_seen", () => trent.PostJson($"{path}/update_last_seen", null)),
            ("list inbox 1", () => trent.GetAsync("/api/v1/conversations?inbox_id=1")),
        };
        foreach (var (_, send) in attempts) await (await send()).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        var list = await trent.ListAsAgent("?status=all");
        Assert.Empty(list.Data);
        Assert.Equal(0, list.Meta.Count);

        using var admin = server.AdminHttp();
        var unchanged = await admin.ConversationAsAgent(conversation.Id);
        Assert.Equal("open", unchanged.Status);
        Assert.Null(unchanged.AssigneeId);
        Assert.Single(unchanged.Messages);
        await (await admin.GetAsync(AgentConversationPath(987_654))).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Theory]
    [InlineData("/api/v1/profile")]
    [InlineData("/api/v1/conversations")]
    [InlineData("/api/v1/conversations/1")]
    [InlineData("/api/v1/conversations/1/messages")]
    [InlineData("/api/v1/inboxes")]
    public async Task Agent_api_without_a_valid_access_token_is_401(string path)
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        await server.StartConversation(contact, "hi");

        await (await server.Http.GetAsync(path)).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        using var wrong = server.AgentHttp("not-a-real-token");
        await (await wrong.GetAsync(path)).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        using var almost = server.AgentHttp(server.AgentToken[..^1] + (server.AgentToken[^1] == 'a' ? 'b' : 'a'));
        await (await almost.GetAsync(path)).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        using var empty = server.AgentHttp("");
        await (await empty.GetAsync(path)).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        using var huge = server.AgentHttp(new string('x', 5000));
        await (await huge.GetAsync(path)).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        // A contact's pubsub_token is not an agent's access token.
        using var asContact = server.AgentHttp(contact.PubsubToken);
        await (await asContact.GetAsync(path)).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        using var bearerContact = server.BearerHttp(contact.PubsubToken);
        await (await bearerContact.GetAsync(path)).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Agent_api_writes_without_a_valid_access_token_are_401_and_change_nothing()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");
        using var asContact = server.AgentHttp(contact.PubsubToken);

        await (await asContact.PostJson($"{AgentConversationPath(conversation.Id)}/messages", new { content = "fake agent" }))
            .AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await (await server.Http.PostJson("/api/v1/agents", new { name = "x", email = "x@example.com" }))
            .AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await (await asContact.PostJson($"{AgentConversationPath(conversation.Id)}/toggle_status", new { status = "resolved" }))
            .AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.Single(await server.MessagesAsContact(contact, conversation.Id));
        Assert.Equal("open", (await server.ConversationAsContact(contact, conversation.Id)).Status);
    }

    [Fact]
    public async Task Agent_api_accepts_a_bearer_access_token_as_well()
    {
        await using var server = await ChatServer.StartAsync();
        using var bearer = server.BearerHttp(server.AgentToken);
        Assert.Equal(1, (await bearer.GetRead<AgentDto>("/api/v1/profile")).Id);
    }

    [Fact]
    public async Task Wrong_inbox_identifier_is_404_on_every_client_route()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact, "hi");
        var wrong = "/public/api/v1/inboxes/no-such-inbox-identifier-000";

        await (await server.Http.GetAsync(wrong)).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await server.Http.PostJson($"{wrong}/contacts", new { name = "x" })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await server.Http.GetAsync($"{wrong}/contacts/{contact.SourceId}")).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await server.Http.GetAsync($"{wrong}/contacts/{contact.SourceId}/conversations/{conversation.Id}/messages"))
            .AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await server.Http.PostJson($"{wrong}/contacts/{contact.SourceId}/conversations/{conversation.Id}/messages", new { content = "x" }))
            .AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await server.Http.GetAsync($"/public/api/v1/inboxes/{new string('a', 5000)}")).AssertClientError("huge identifier");
    }

    [Fact]
    public async Task Source_id_of_another_inbox_is_404()
    {
        await using var server = await ChatServer.StartAsync();
        var other = await server.CreateInbox("Other");
        var stranger = await server.CreateContactIn(other.Identifier, new { name = "Stranger" });
        var strangersConversation = await server.Http.PostRead<ConversationDto>(
            $"/public/api/v1/inboxes/{other.Identifier}/contacts/{stranger.SourceId}/conversations", new { message = new { content = "hi" } });
        var viaInbox1 = $"{server.ClientApi}/contacts/{stranger.SourceId}";

        await (await server.Http.GetAsync(viaInbox1)).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await server.Http.PatchJson(viaInbox1, new { name = "renamed" })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await server.Http.GetAsync($"{viaInbox1}/conversations")).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await server.Http.PostJson($"{viaInbox1}/conversations", new { })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await server.Http.GetAsync($"{viaInbox1}/conversations/{strangersConversation.Id}/messages"))
            .AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await server.Http.GetAsync($"{server.ClientApi}/contacts/not-a-source-id")).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);

        Assert.Equal("Stranger", (await server.Http.GetRead<ContactDto>($"/public/api/v1/inboxes/{other.Identifier}/contacts/{stranger.SourceId}")).Name);
    }

    [Fact]
    public async Task Contact_answers_never_carry_agent_secrets_and_agent_answers_never_carry_contact_tokens()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact("Victor");
        var conversation = await server.StartConversation(contact, "hi");
        await admin.SendAsAgent(conversation.Id, "hello");

        var agentText = await admin.GetStringAsync(AgentConversationPath(conversation.Id))
            + await admin.GetStringAsync("/api/v1/conversations") + await admin.GetStringAsync($"{AgentConversationPath(conversation.Id)}/messages");
        Assert.DoesNotContain(contact.PubsubToken, agentText, StringComparison.Ordinal);

        var contactText = await server.Http.GetStringAsync(server.ConversationPath(contact, conversation.Id))
            + await server.Http.GetStringAsync($"{server.ConversationPath(contact, conversation.Id)}/messages")
            + await server.Http.GetStringAsync(server.ClientApi);
        Assert.DoesNotContain(server.AgentToken, contactText, StringComparison.Ordinal);
        Assert.DoesNotContain(server.HmacToken, contactText, StringComparison.Ordinal);
    }
}
