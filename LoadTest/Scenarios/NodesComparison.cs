using ChatHub.LoadTest.Setup;

namespace ChatHub.LoadTest.Scenarios;

/// <summary>--compare nodes: the chat scenario on one spawned node, then on two behind Redis (customers on node A,
/// agents on node B), each at full speed (throughput) and at half the one-node maximum (latency at the same
/// offered load), in one run on one machine.</summary>
public static class NodesComparison
{
    public static async Task<IReadOnlyList<PhaseResult>> RunAsync(LoadOptions options)
    {
        var phases = new List<PhaseResult>();
        double? halfRate = null;
        foreach (var nodes in new[] { 1, 2 })
        {
            await using var server = await ServerUnderTest.SpawnAsync(options with { Nodes = nodes });
            await using var population = new Population(server, options.Protocol);
            var world = new ChatWorld(options, server, population);
            await world.ConnectAsync();
            var max = await world.RunChatAsync($"{nodes}node-max", 0);
            halfRate ??= max.AcknowledgedPerSecond / 2 / options.Customers;
            phases.Add(max);
            phases.Add(await world.RunChatAsync($"{nodes}node-half", halfRate.Value));
        }
        return phases;
    }
}
