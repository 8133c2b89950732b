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
            return Task.CompletedTask;
        };
        agent.ConversationCreated += c => Print($"#{c.Id} new conversation");
        agent.ConversationUpdated += c => Print($"#{c.Id} is {c.Status}, assigned to {c.AssigneeId?.ToString() ?? "nobody"}");
        agent.Reconnecting += _ => Print("  (connection lost, reconnecting...)");

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
                ["/note", var text] => agent.SendMessageAsync(conversationId, text, isPrivate: true),
                ["/take"] => agent.AssignAsync(conversationId, agent.Profile.Id),
                ["/resolve"] => agent.SetStatusAsync(conversationId, ConversationStatuses.Resolved),
                ["/open"] => agent.SetStatusAsync(conversationId, ConversationStatuses.Open),
                _ => agent.SendMessageAsync(conversationId, line), // waits out a lost connection, stored once
            };
            await command;
        }
    }

    private static Task Print(string line)
    {
        Console.WriteLine(line);
        return Task.CompletedTask;
    }
}
