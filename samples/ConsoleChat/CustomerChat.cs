using ChatHub.Client;

namespace ChatHub.Samples.ConsoleChat;

/// <summary>The customer side: who you are is kept in a file, so the next run continues the same conversation.</summary>
internal static class CustomerChat
{
    public static async Task RunAsync(Uri serverUrl, string inboxIdentifier, string name)
    {
        var sourceIdFile = Path.Combine(Path.GetTempPath(), $"chathub-console-{inboxIdentifier}.source_id");
        await using var customer = new CustomerSession(new CustomerSessionOptions
        {
            ServerUrl = serverUrl,
            InboxIdentifier = inboxIdentifier,
            SourceId = File.Exists(sourceIdFile) ? await File.ReadAllTextAsync(sourceIdFile) : null,
            Name = name,
        });
        customer.MessageCreated += m => Print($"[{m.Seq}] {m.Sender?.Name ?? "*"}: {m.Content}");
        customer.Typing += t => Print(t.IsTyping ? $"  ({t.Sender.Name} is typing...)" : "");
        customer.Reconnecting += _ => Print("  (connection lost, reconnecting...)");
        customer.Reconnected += _ => Print("  (back online)");

        await customer.StartAsync();
        await File.WriteAllTextAsync(sourceIdFile, customer.Contact.SourceId);
        foreach (var m in customer.Conversation?.Messages ?? [])
        {
            Console.WriteLine($"[{m.Seq}] {m.Sender?.Name ?? "*"}: {m.Content}");
        }
        Console.WriteLine($"Hello {customer.Contact.Name}. Type a message and press Enter (empty line quits).");

        while (Console.ReadLine() is { Length: > 0 } line)
        {
            await customer.SendMessageAsync(line); // waits out a lost connection, stored once
        }
    }

    private static Task Print(string line)
    {
        Console.WriteLine(line);
        return Task.CompletedTask;
    }
}
