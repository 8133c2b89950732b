using System.Net;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Who may touch what over REST: the agent API only with a valid agent access token (401), the client API only
/// with an inbox identifier and a source_id of it (404), and the use cases' refusals as their problems: a contact's path to
/// another's conversation is a 404 exactly like a missing one, an agent outside the inbox a 403. The full matrix of who
/// may do what is in-process (UseCases/Conversations/ConversationAccessTests).</summary>
public sealed class AuthorizationTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_contacts_path_to_another_contacts_conversation_is_a_404_exactly_like_a_missing_one()
    {
        var server = shared.Server;
        var alice = await server.CreateContact("Alice");
        var bob = await server.CreateContact("Bob");
        var bobs = await server.StartConversation(bob, "Bob's secret");
        var asAlice = server.ConversationPath(alice, bobs.Id);

        var foreign = await (await server.Http.GetAsync(asAlice)).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var missing = await (await server.Http.GetAsync(server.ConversationPath(alice, 987_654))).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.Equal(missing.GetProperty("detail").GetString(), foreign.GetProperty("detail").GetString());
        Assert.DoesNotContain("Bob", foreign.ToString());
        await (await server.Http.PostJson($"{asAlice}/messages", new { content = "hijack" })).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.Single(await server.MessagesAsContact(bob, bobs.Id));
    }

    [Fact]
    public async Task An_agent_outside_the_inbox_gets_403_problems_and_an_empty_list()
    {
        var server = shared.Server;
        var outsider = await server.CreateAgent("Trent", inboxId: null);
        using var trent = server.AgentHttp(outsider.AccessToken!);
        var conversation = await server.StartConversation(await server.CreateContact(), "hi");

        await (await trent.GetAsync(AgentConversationPath(conversation.Id))).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await (await trent.PostJson($"{AgentConversationPath(conversation.Id)}/messages", new { content = "hello" }))
            .AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await (await trent.GetAsync("/api/v1/conversations?inbox_id=1")).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        var list = await trent.ListAsAgent("?status=all");
        Assert.Empty(list.Data);
        Assert.Equal(0, list.Meta.Count);
    }

    [Theory]
    [InlineData("/api/v1/profile")]
    [InlineData("/api/v1/conversations")]
    [InlineData("/api/v1/conversations/1")]
    [InlineData("/api/v1/conversations/1/messages")]
    [InlineData("/api/v1/inboxes")]
    public async Task Agent_api_without_a_valid_access_token_is_401(string path)
    {
        var server = shared.Server;
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
        var server = shared.Server;
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
        var server = shared.Server;
        using var bearer = server.BearerHttp(server.AgentToken);
        Assert.Equal(1, (await bearer.GetRead<AgentDto>("/api/v1/profile")).Id);
    }

    [Fact]
    public async Task Wrong_inbox_identifier_is_404_on_every_client_route()
    {
        var server = shared.Server;
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
    public async Task Contact_answers_never_carry_agent_secrets_and_agent_answers_never_carry_contact_tokens()
    {
        var server = shared.Server;
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
