using System.Diagnostics;
using ChatHub.Contracts;
using ChatHub.LoadTest.Metrics;
using ChatHub.LoadTest.Setup;

namespace ChatHub.LoadTest.Scenarios;

/// <summary>What a history page costs on a long conversation: one customer fills a conversation with N messages
/// (32 sends in flight), then pages of 50 are read one at a time over the hub: the newest page (a conversation
/// opened), a page before a random message (scrolling back) and a page after a random seq (a reconnect's resync).
/// Latencies are round trips over the hub on loopback, so they include SignalR's own cost.</summary>
public static class HistoryPhase
{
    private const int PageSize = 50;
    private const int PagesPerKind = 400;

    public static async Task<HistoryResult> RunAsync(LoadOptions options, Population population)
    {
        var contact = (await population.CreateContactsAsync(1))[0];
        var hub = await population.ConnectAsync(contact.PubsubToken, 0);
        var conversation = await hub.StartConversationAsync(new StartConversationRequest());
        Console.Error.WriteLine($"[history] filling conversation {conversation.Id} with {options.HistoryMessages:N0} messages");

        var ids = new long[options.HistoryMessages];
        var next = -1;
        var fill = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < ids.Length)
                ids[i] = (await hub.SendMessageAsync(new SendMessageRequest { ConversationId = conversation.Id, Content = $"history {i}", EchoId = $"h-{i}" })).Id;
        }));
        fill.Stop();

        var random = new Random(42);
        async Task<LatencySummary> Time(Func<GetMessagesRequest> request)
        {
            var recorder = new LatencyRecorder();
            recorder.Start();
            for (var page = 0; page < PagesPerKind; page++)
            {
                var started = Stopwatch.GetTimestamp();
                var result = await hub.GetMessagesAsync(request());
                recorder.RecordSince(started);
                if (result.Messages.Count == 0) throw new InvalidOperationException("a history page came back empty");
            }
            return recorder.Summarize();
        }
        var newest = await Time(() => new GetMessagesRequest { ConversationId = conversation.Id, Limit = PageSize });
        var before = await Time(() => new GetMessagesRequest { ConversationId = conversation.Id, Limit = PageSize, Before = ids[random.Next(PageSize, ids.Length)] });
        var afterSeq = await Time(() => new GetMessagesRequest { ConversationId = conversation.Id, Limit = PageSize, AfterSeq = random.Next(0, ids.Length - PageSize) });
        return new HistoryResult(ids.Length, ids.Length / fill.Elapsed.TotalSeconds, newest, before, afterSeq);
    }
}

/// <summary>Latencies in milliseconds; the fill rate is one conversation's durable msgs/s with 32 sends in flight.</summary>
public sealed record HistoryResult(int Messages, double FillPerSecond, LatencySummary Newest, LatencySummary Before, LatencySummary AfterSeq);
