using BenchmarkDotNet.Attributes;

namespace ChatHub.Benchmarks;

/// <summary>Appending messages through the single writer. One at a time pays a commit (an fsync with
/// synchronous=FULL) per message; concurrent senders share commits (group commit).</summary>
[MemoryDiagnoser]
public class AppendBenchmarks
{
    private StoreFixture _fixture = null!;
    private long _next;

    [Params("FULL", "NORMAL")]
    public string Synchronous { get; set; } = "FULL";

    [GlobalSetup]
    public void Setup() => _fixture = StoreFixture.OpenAsync(Engine.Sqlite, Synchronous).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "1 sender")]
    public Task AppendOne() => _fixture.AppendAsync($"e{Interlocked.Increment(ref _next)}");

    [Benchmark(OperationsPerInvoke = 64, Description = "64 concurrent senders")]
    public Task AppendConcurrently() =>
        Task.WhenAll(Enumerable.Range(0, 64).Select(_ => _fixture.AppendAsync($"e{Interlocked.Increment(ref _next)}")));
}
