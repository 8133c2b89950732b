using BenchmarkDotNet.Attributes;
using ChatHub.Server.Storage;

namespace ChatHub.Benchmarks;

/// <summary>A page of history costs the same at 1,000 and 1,000,000 stored messages: every query is an index
/// range on (conversation_id, id) or (conversation_id, seq).</summary>
[MemoryDiagnoser]
public class HistoryBenchmarks
{
    private StoreFixture _fixture = null!;

    [Params(1_000, 1_000_000)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = StoreFixture.OpenAsync(Engine.Sqlite, "NORMAL").GetAwaiter().GetResult();
        _fixture.SeedAsync(Messages).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "newest page (20)")]
    public int NewestPage() => Page(new MessageQuery(_fixture.ConversationId, null, null, 21, false));

    [Benchmark(Description = "page before the middle")]
    public int OlderPage() => Page(new MessageQuery(_fixture.ConversationId, Messages / 2, null, 21, false));

    [Benchmark(Description = "resync after a seq near the end")]
    public int AfterSeq() => Page(new MessageQuery(_fixture.ConversationId, null, Messages - 10, 101, true));

    private int Page(MessageQuery query) =>
        _fixture.Store.ReadAsync(async r => (await r.GetMessagesAsync(query)).Count).GetAwaiter().GetResult();
}
