using ChatHub.LoadTest.Setup;

namespace ChatHub.LoadTest.Scenarios;

/// <summary>--compare stores: the same run on each store in turn (a fresh spawned server each): the chat scenario at
/// full speed (durable msgs/s acknowledged), then <see cref="HistoryPhase"/>. One machine, one run, so the stores
/// are compared like for like.</summary>
public static class StoresComparison
{
    public static async Task<IReadOnlyList<StoreResult>> RunAsync(LoadOptions options)
    {
        var results = new List<StoreResult>();
        foreach (var store in LoadOptions.Stores)
        {
            Console.Error.WriteLine($"[store] {store}");
            await using var server = await ServerUnderTest.SpawnAsync(options with { Store = store });
            await using var population = new Population(server, options.Protocol);
            var world = new ChatWorld(options, server, population);
            await world.ConnectAsync();
            var chat = await world.RunChatAsync($"{store}-max", 0);
            var history = await HistoryPhase.RunAsync(options, population);
            results.Add(new StoreResult(store, chat, history));
        }
        return results;
    }
}

public sealed record StoreResult(string Store, PhaseResult Chat, HistoryResult History);
