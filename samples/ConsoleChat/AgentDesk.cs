using ChatHub.Client;
using ChatHub.Contracts;

namespace ChatHub.Samples.ConsoleChat;

/// <summary>The agent side: replies go to the conversation that spoke last; commands do the rest.</summary>
internal static class AgentDesk
{
    public static async Task RunAsync(Uri serverUrl, string accessToken)
    {
        await using var agent = new AgentSession(new AgentSessionOptions { ServerUrl = serverUrl, AccessToken = accessToken });
        long? current = null;
        agent.MessageCreated += m =>
        {
            current = m.ConversationId;
            Console.WriteLine($"#{m.ConversationId} [{m.Seq}] {(m.Private ? "(note) " : "")}{m.Sender?.Name ?? "*"}: {m.Content}");
        };
        agent.ConversationCreated += c => Console.WriteLine($"#{c.Id} new conversation");
        agent.ConversationUpdated += c => Console.WriteLine($"#{c.Id} is {c.Status}, assigned to {c.AssigneeId?.ToString() ?? "nobody"}");
        agent.Reconnecting += _ => Console.WriteLine("  (connection lost, reconnecting...)");

        await agent.StartAsync();
        Console.WriteLine($"{agent.Profile.Name}: {agent.Conversations.Count} open conversation(s). " +
            "Type a reply, or /note text, /take, /resolve, /open, /to <id>; an empty line quits.");
        current = agent.Conversations.FirstOrDefault()?.Id;

        while (Console.ReadLine() is { Length: > 0 } line)
        {
            if (line.Split(' ', 2) is ["/to", var other] && long.TryParse(other, out var chosen))
            {
                current = chosen;
                continue;
            }
            if (current is not { } conversationId)
            {
                Console.WriteLine("  (no conversation yet)");
                continue;
            }
            Task command = line.Split(' ', 2) switch
            {
                ["/note", var text] => agent.NoteAsync(conversationId, text),
                ["/take"] => agent.AssignAsync(conversationId, agent.Profile.Id),
                ["/resolve"] => agent.SetStatusAsync(conversationId, ConversationStatuses.Resolved),
                ["/open"] => agent.SetStatusAsync(conversationId, ConversationStatuses.Open),
                _ => agent.ReplyAsync(conversationId, line), // waits out a lost connection, stored once
            };
            await command;
        }
    }
}
