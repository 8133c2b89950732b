using ChatHub.Server.Storage;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Storage:Provider picks the store of a real server: Postgres serves a conversation end to end on the
/// collection's cluster (LiteDB: <see cref="LiteDbServerTests"/>); a provider or connection string that cannot work
/// stops the start with one line naming the key.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StorageProviderTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_server_on_Postgres_serves_a_conversation_end_to_end_with_seq_1_to_N()
    {
        var database = await postgres.CreateDatabaseAsync();
        string agentToken, inboxIdentifier, hmacToken;
        try
        {
            await using (var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Postgres",
                ["Storage:Postgres:ConnectionString"] = postgres.ConnectionString(database),
            }))
            {
                (agentToken, inboxIdentifier, hmacToken) = (server.AgentToken, server.InboxIdentifier, server.HmacToken);
                var contact = await server.CreateContact();
                var conversation = await server.StartConversation(contact, "message 1");
                Assert.Equal(1, conversation.Seq);
                for (var i = 2; i <= 5; i++) Assert.Equal(i, (await server.SendAsContact(contact, conversation.Id, $"message {i}")).Seq);
                using var admin = server.AdminHttp();
                Assert.Equal(6, (await admin.SendAsAgent(conversation.Id, "reply")).Seq);

                var read = await server.MessagesAsContact(contact, conversation.Id);
                Assert.Equal(Enumerable.Range(1, 6).Select(s => (long)s), read.Select(m => m.Seq));
                Assert.Equal([.. Enumerable.Range(1, 5).Select(i => $"message {i}"), "reply"], read.Select(m => m.Content));
            }

            // The rows are in PostgreSQL, not in the SQLite file: a new server on the same database continues them.
            await using var again = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Postgres",
                ["Storage:Postgres:ConnectionString"] = postgres.ConnectionString(database),
            }, agentToken: agentToken, inboxIdentifier: inboxIdentifier, hmacToken: hmacToken);
            using var agent = again.AdminHttp();
            var page = await agent.ListAsAgent("?status=all");
            var only = Assert.Single(page.Data);
            Assert.Equal(7, (await agent.SendAsAgent(only.Id, "after restart")).Seq);
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }

    [Theory]
    [InlineData("Mongo", "Storage:Provider")]
    [InlineData("LiteDB5", "Storage:Provider")]
    [InlineData("Postgres", "Storage:Postgres:ConnectionString")]
    public async Task A_storage_setting_that_cannot_work_stops_the_start_with_one_line_naming_the_key(string provider, string key)
    {
        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => ChatHubApp.BuildAsync([], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["Storage:Provider"] = provider,
                ["Storage:Sqlite:Path"] = Path.Combine(TempDirectory.Create().Path, "chathub.db"),
            })));
        Assert.Contains(key, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    public async Task Postgres_writer_lanes_out_of_range_stop_the_start_with_one_line_naming_the_key(string lanes)
    {
        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => ChatHubApp.BuildAsync([], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["Storage:Provider"] = "Postgres",
                ["Storage:Postgres:ConnectionString"] = "Host=127.0.0.1;Database=unused",
                ["Storage:Postgres:WriterLanes"] = lanes,
            })));
        Assert.Contains("Storage:Postgres:WriterLanes", error.Message);
        Assert.Contains(lanes, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
