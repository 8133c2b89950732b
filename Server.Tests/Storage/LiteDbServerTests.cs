using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Storage:Provider=LiteDb on real servers: a conversation end to end and continued after a restart, and one
/// process per file (a second server on the same file prints one line naming it and exits 1).</summary>
public sealed class LiteDbServerTests
{
    private static Dictionary<string, string?> LiteDb(string provider, string path) => new()
    {
        ["Storage:Provider"] = provider,
        ["Storage:LiteDb:Path"] = path,
    };

    [Fact]
    public async Task A_server_on_LiteDb_serves_a_conversation_end_to_end_and_continues_it_after_a_restart()
    {
        var directory = TempDirectory.Create().Path;
        var path = Path.Combine(directory, "chathub.litedb");
        string agentToken, inboxIdentifier, hmacToken, sqlitePath;
        await using (var server = await ChatServer.StartAsync(settings: LiteDb("LiteDb", path)))
        {
            (agentToken, inboxIdentifier, hmacToken, sqlitePath) = (server.AgentToken, server.InboxIdentifier, server.HmacToken, server.DbPath);
            var contact = await server.CreateContact();
            var conversation = await server.StartConversation(contact, "message 1");
            Assert.Equal(1, conversation.Seq);
            for (var i = 2; i <= 5; i++) Assert.Equal(i, (await server.SendAsContact(contact, conversation.Id, $"message {i}")).Seq);
            using var admin = server.AdminHttp();
            Assert.Equal(6, (await admin.SendAsAgent(conversation.Id, "reply")).Seq);
            var read = await server.MessagesAsContact(contact, conversation.Id);
            Assert.Equal(Enumerable.Range(1, 6).Select(s => (long)s), read.Select(m => m.Seq));
        }
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(sqlitePath), "the rows went to the LiteDB file, not to SQLite");

        // The provider name ignores case; the same file continues the conversation.
        await using var again = await ChatServer.StartAsync(settings: LiteDb("litedb", path),
            agentToken: agentToken, inboxIdentifier: inboxIdentifier, hmacToken: hmacToken);
        using var agent = again.AdminHttp();
        var only = Assert.Single((await agent.ListAsAgent("?status=all")).Data);
        Assert.Equal(7, (await agent.SendAsAgent(only.Id, "after restart")).Seq);
    }

    [Fact]
    public async Task A_second_server_process_on_the_same_LiteDb_file_prints_one_line_naming_it_and_exits_1()
    {
        var path = Path.Combine(TempDirectory.Create().Path, "chathub.litedb");
        var settings = new Dictionary<string, string> { ["Storage:Provider"] = "LiteDb", ["Storage:LiteDb:Path"] = path };
        await using var first = await ServerProcess.StartAsync(settings: settings);

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(Path.Combine(TempDirectory.Create().Path, "unused.db"), settings);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("ChatHub cannot start:", line);
        Assert.Contains(path, line);
        // The first server is untouched.
        using var health = await first.Http.GetAsync("/healthz");
        Assert.True(health.IsSuccessStatusCode);
    }
}
