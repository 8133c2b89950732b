using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Rest;

/// <summary>API.md "Durable before acknowledged", and a restart on the same database. The tests that read the SQLite
/// file itself carry the trait Store=SqliteFile: ./test.sh leaves them out of its runs on the other stores, whose
/// durability the store conformance suite and the kill -9 test check.</summary>
public sealed class PersistenceTests
{
    [Fact, Trait("Store", "SqliteFile")]
    public async Task Message_is_in_the_database_file_as_soon_as_the_post_returns()
    {
        await using var server = await ChatServer.StartAsync();
        var contact = await server.CreateContact();
        var conversation = await server.StartConversation(contact);

        var message = await server.SendAsContact(contact, conversation.Id, "durable, please", echoId: "d-1");

        // A separate connection, as another process would read it, while the server keeps running.
        using var db = OpenDatabase(server.DbPath);
        Assert.Equal("durable, please", db.Scalar("SELECT content FROM messages WHERE id = $id", ("$id", message.Id)));
        Assert.Equal(message.Seq, db.Scalar("SELECT seq FROM messages WHERE id = $id", ("$id", message.Id)));
        Assert.Equal(conversation.Id, db.Scalar("SELECT conversation_id FROM messages WHERE id = $id", ("$id", message.Id)));
        Assert.Equal("d-1", db.Scalar("SELECT echo_id FROM messages WHERE id = $id", ("$id", message.Id)));
        Assert.Equal(message.Seq, db.Scalar("SELECT seq FROM conversations WHERE id = $id", ("$id", conversation.Id)));
    }

    [Fact, Trait("Store", "SqliteFile")]
    public async Task Every_acknowledged_change_is_in_the_database_file()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var contact = await server.CreateContact("Dora");
        var conversation = await server.StartConversation(contact, "hi");
        var ids = new List<long> { conversation.Messages[0].Id };
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await server.SendAsContact(contact, conversation.Id, $"c{i}")).Id);
            ids.Add((await admin.SendAsAgent(conversation.Id, $"a{i}", isPrivate: i % 3 == 0)).Id);
        }
        await admin.PostRead<ConversationDto>($"{AgentConversationPath(conversation.Id)}/toggle_status", new { status = "pending" });

        using var db = OpenDatabase(server.DbPath);
        Assert.Equal((long)ids.Count, db.Scalar($"SELECT COUNT(*) FROM messages WHERE id IN ({string.Join(",", ids)})"));
        Assert.Equal("pending", db.Scalar("SELECT status FROM conversations WHERE id = $id", ("$id", conversation.Id)));
        Assert.Equal("Dora", db.Scalar("SELECT name FROM contacts WHERE id = $id", ("$id", contact.Id)));
        // Tokens are stored for lookup by hash; the agent's access token is never stored in the clear.
        Assert.Equal(0L, db.Scalar("SELECT COUNT(*) FROM agents WHERE access_token_hash = $t", ("$t", server.AgentToken)));
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Restart_on_the_same_file_keeps_everything_and_seq_continues()
    {
        var dbPath = Path.Combine(TempDirectory.Create().Path, "chathub.db");
        var agentToken = Identity.Tokens.NewSecret();
        var inboxIdentifier = Identity.Tokens.NewIdentifier();
        var hmacToken = Identity.Tokens.NewSecret();

        ContactDto contact;
        ConversationDto conversation;
        MessageDto last;
        AgentDto agent;
        List<MessageDto> before;
        ConversationDto agentViewBefore;
        await using (var server = await ChatServer.StartAsync(dbPath, agentToken: agentToken, inboxIdentifier: inboxIdentifier, hmacToken: hmacToken))
        {
            using var admin = server.AdminHttp();
            agent = await server.CreateAgent("Ruth");
            contact = await server.CreateContact(extra: new
            {
                name = "Rita", identifier = "rita-1", identifier_hash = IdentifierHash(hmacToken, "rita-1"), custom_attributes = new { tier = 2 },
            });
            conversation = await server.StartConversation(contact, "before restart");
            await admin.SendAsAgent(conversation.Id, "noted", isPrivate: true);
            await admin.PostRead<ConversationDto>($"{AgentConversationPath(conversation.Id)}/assignments", new { assignee_id = agent.Id });
            last = await admin.SendAsAgent(conversation.Id, "reply before restart", echoId: "r-1");
            before = await admin.MessagesAsAgent(conversation.Id);
            agentViewBefore = await admin.ConversationAsAgent(conversation.Id);
        }

        await using (var server = await ChatServer.StartAsync(dbPath, agentToken: agentToken, inboxIdentifier: inboxIdentifier, hmacToken: hmacToken))
        {
            using var admin = server.AdminHttp();
            Assert.Equal(1, (await admin.GetRead<AgentDto>("/api/v1/profile")).Id);
            using var ruth = server.AgentHttp(agent.AccessToken!);
            Assert.Equal(agent.Id, (await ruth.GetRead<AgentDto>("/api/v1/profile")).Id);

            var inboxes = await admin.GetRead<List<InboxAdminDto>>("/api/v1/inboxes");
            var inbox = Assert.Single(inboxes); // the bootstrap did not run again
            Assert.Equal(inboxIdentifier, inbox.Identifier);
            Assert.Equal(hmacToken, inbox.HmacToken);

            var reread = await server.Http.GetRead<ContactDto>(server.ContactPath(contact));
            Assert.Equal((contact.Id, contact.SourceId, contact.PubsubToken, contact.Name, contact.Identifier, contact.HmacVerified),
                (reread.Id, reread.SourceId, reread.PubsubToken, reread.Name, reread.Identifier, reread.HmacVerified));
            Assert.Equal(2, reread.CustomAttributes!["tier"].GetInt32());
            var sameDevice = await server.CreateContact(extra: new { identifier = "rita-1", identifier_hash = IdentifierHash(hmacToken, "rita-1") });
            Assert.Equal(contact.Id, sameDevice.Id);

            var agentView = await admin.ConversationAsAgent(conversation.Id);
            Assert.Equal(agentViewBefore.Seq, agentView.Seq);
            Assert.Equal(agent.Id, agentView.AssigneeId);
            Assert.Equal(agentViewBefore.Status, agentView.Status);
            Assert.Equal(agentViewBefore.CreatedAt, agentView.CreatedAt);
            var after = await admin.MessagesAsAgent(conversation.Id);
            Assert.Equal(before.Select(m => (m.Id, m.Seq, m.Content, m.Private)), after.Select(m => (m.Id, m.Seq, m.Content, m.Private)));

            // An echo from before the restart is still recognised.
            var retried = await admin.SendAsAgent(conversation.Id, "reply before restart", echoId: "r-1");
            Assert.Equal(last.Id, retried.Id);

            var contactSeq = (await server.ConversationAsContact(contact, conversation.Id)).Seq;
            var next = await server.SendAsContact(contact, conversation.Id, "after restart");
            Assert.Equal(contactSeq + 1, next.Seq); // the contact's stream
            Assert.Equal(agentView.Seq + 1, (await admin.MessagesAsAgent(conversation.Id)).Single(m => m.Id == next.Id).Seq); // the agents'
            Assert.True(next.Id > last.Id);
            var contactView = await server.MessagesAsContact(contact, conversation.Id, "?limit=100");
            Assert.Equal(contactView.Select(m => m.Seq).Order(), contactView.Select(m => m.Seq)); // one order across the restart
            Assert.Equal(next.Id, contactView[^1].Id);

            var newContact = await server.CreateContact("After");
            Assert.True(newContact.Id > contact.Id);

            // The restart did not run the first start's bootstrap again: one inbox, one administrator, on every store.
            Assert.Single(await admin.GetRead<List<InboxAdminDto>>("/api/v1/inboxes"));
            var agents = await admin.GetRead<List<AgentDto>>("/api/v1/agents");
            Assert.Equal(2, agents.Count);
            Assert.Single(agents, a => a.Role == AgentRoles.Administrator);
        }
    }
}
