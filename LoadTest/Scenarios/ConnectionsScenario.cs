using System.Diagnostics;
using ChatHub.LoadTest.Setup;

namespace ChatHub.LoadTest.Scenarios;

/// <summary>Opens N idle customer connections and reports the server's memory per connection.</summary>
public static class ConnectionsScenario
{
    public sealed record Result(int Requested, int Connected, int StillConnected, double ConnectSeconds,
        long ServerResidentBefore, long ServerResidentAfter, long ServerPeakResident, double BytesPerConnection, int Failures);

    public static async Task<Result> RunAsync(LoadOptions options, ServerUnderTest server, Population population)
    {
        Console.Error.WriteLine($"[setup] creating {options.Connections:N0} contacts");
        var contacts = await population.CreateContactsAsync(options.Connections,
            new Progress<int>(n => { if (n % 1000 == 0) ProgressLine.Update($"[setup] {n:N0} contacts"); }));
        Console.Error.WriteLine();
        await Settle();
        var (before, _) = server.Memory();

        var failures = 0;
        var connected = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, contacts.Count, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            try
            {
                await population.ConnectAsync(contacts[i].PubsubToken, i);
                var n = Interlocked.Increment(ref connected);
                if (n % 1000 == 0) ProgressLine.Update($"[connections] {n:N0} open");
            }
            catch (Exception ex)
            {
                if (Interlocked.Increment(ref failures) <= 5) Console.Error.WriteLine($"\n[connections] {ex.GetType().Name}: {ex.Message}");
            }
        });
        var connectSeconds = clock.Elapsed.TotalSeconds;
        ProgressLine.Done($"[connections] {connected:N0} open in {connectSeconds:F1} s, {failures} failed; holding them idle for 10 s");
        await Task.Delay(TimeSpan.FromSeconds(10));
        await Settle();
        var (after, peak) = server.Memory();
        var still = population.ConnectedCount();
        return new Result(options.Connections, connected, still, connectSeconds, before, after, peak,
            connected == 0 ? 0 : (after - before) / (double)connected, failures);
    }

    // Lets the server's allocations of the previous step settle before reading its memory.
    private static Task Settle() => Task.Delay(TimeSpan.FromSeconds(3));
}
