using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ChatHub.Server.Storage;

namespace ChatHub.Benchmarks;

/// <summary>History pages of 50 on one long conversation, as its contact reads them (the store reads of the hub's
/// GetMessages, <see cref="StoreFixture.ReadPageAsync"/>: LoadTest's history phase without the hub): the newest page, the page before a random message id (scrolling back) and every change after a random
/// contact seq (a reconnect's resync), on each store. Each iteration times ONE page at a new random position, so the
/// percentiles are those of single pages; P99 / SQLite is the ratio to SQLite's P99 in the same run. Every query is an
/// index range scan, so a page should cost about the same at 20,000 and at 1,000,000 messages.
/// <para>Runs in this process, so that each store's conversation is filled once per run and read by all three
/// benchmarks (<see cref="HistoryStores"/>): 1,000,000 messages take about a minute on SQLite and some minutes on
/// LiteDB and PostgreSQL on two cores.</para>
/// <code>dotnet run -c Release --project Benchmarks -- --filter '*History*'</code></summary>
[Config(typeof(Config))]
public class HistoryBenchmarks
{
    private const int PageSize = 50;
    private StoreFixture _fixture = null!;
    private Random _random = null!;

    [Params(Engine.Sqlite, Engine.LiteDb, Engine.Postgres)]
    public Engine Store { get; set; }

    [Params(20_000, 1_000_000)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = HistoryStores.Filled(Store, Messages);
        _random = new Random(42);
    }

    [Benchmark(Description = "newest page")]
    public int Newest() => Page(new MessageQuery(_fixture.ConversationId, null, null, PageSize + 1, true));

    [Benchmark(Description = "50 before a random id")]
    public int BeforeAnId()
    {
        var (firstId, lastId, _) = _fixture.Seeded;
        return Page(new MessageQuery(_fixture.ConversationId, _random.NextInt64(firstId + 2 * PageSize, lastId + 1), null, PageSize + 1, true));
    }

    [Benchmark(Description = "50 after a random seq")]
    public int AfterASeq()
    {
        var lastContactSeq = _fixture.Seeded.LastContactSeq;
        return Page(new MessageQuery(_fixture.ConversationId, null, _random.NextInt64(0, lastContactSeq - 2 * PageSize), PageSize + 1, true));
    }

    private int Page(MessageQuery query)
    {
        var count = _fixture.ReadPageAsync(query).GetAwaiter().GetResult();
        return count > 0 ? count : throw new InvalidOperationException("an empty page");
    }

    /// <summary>One page per iteration (no batching of invocations), 300 of them after 30 to warm up, outliers kept:
    /// the tail is what is measured.</summary>
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1).WithWarmupCount(30).WithIterationCount(300).WithInvocationCount(1).WithUnrollFactor(1)
                .WithOutlierMode(Perfolizer.Mathematics.OutlierDetection.OutlierMode.DontRemove));
            AddColumn(StatisticColumn.Median, StatisticColumn.P95, new PercentileColumn(99), new RatioToSqliteColumn(99));
            HideColumns(Column.Error, Column.StdDev);
        }
    }

    /// <summary>A percentile of the single-page times.</summary>
    private sealed class PercentileColumn(int percentile) : IColumn
    {
        public string Id => $"P{percentile}";
        public string ColumnName => $"P{percentile} [ms]";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Statistics;
        public int PriorityInCategory => 10;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"{percentile}th percentile of single pages, in milliseconds";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            summary[benchmarkCase]?.ResultStatistics?.Percentiles.Percentile(percentile) is { } ns
                ? (ns / 1e6).ToString("N3", style.CultureInfo) : "?";
    }

    /// <summary>This row's percentile over SQLite's, for the same benchmark and conversation length.</summary>
    private sealed class RatioToSqliteColumn(int percentile) : IColumn
    {
        public string Id => $"P{percentile}/SQLite";
        public string ColumnName => $"P{percentile} / SQLite";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"P{percentile} over SQLite's P{percentile} in the same run (same benchmark, same number of messages)";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var sqlite = summary.BenchmarksCases.FirstOrDefault(other =>
                other.Descriptor.WorkloadMethod == benchmarkCase.Descriptor.WorkloadMethod
                && Equals(other.Parameters[nameof(Store)], Engine.Sqlite)
                && Equals(other.Parameters[nameof(Messages)], benchmarkCase.Parameters[nameof(Messages)]));
            var mine = summary[benchmarkCase]?.ResultStatistics?.Percentiles.Percentile(percentile);
            var theirs = sqlite is null ? null : summary[sqlite]?.ResultStatistics?.Percentiles.Percentile(percentile);
            return mine is { } m && theirs is { } t && t > 0 ? (m / t).ToString("N2", style.CultureInfo) : "?";
        }
    }
}

/// <summary>Each store's long conversation, filled once per process (BenchmarkDotNet's in-process runs share it) and
/// closed at its end.</summary>
public static class HistoryStores
{
    private static readonly Dictionary<(Engine, int), StoreFixture> Fixtures = [];

    public static StoreFixture Filled(Engine engine, int messages)
    {
        lock (Fixtures)
        {
            if (Fixtures.TryGetValue((engine, messages), out var filled)) return filled;
            var started = System.Diagnostics.Stopwatch.StartNew();
            var fixture = StoreFixture.OpenAsync(engine).GetAwaiter().GetResult();
            fixture.SeedAsync(messages, progress: done =>
            {
                if (done % 100_000 == 0) Console.WriteLine($"// {engine}: {done:N0} of {messages:N0} messages stored ({started.Elapsed.TotalSeconds:F0} s)");
            }).GetAwaiter().GetResult();
            Console.WriteLine($"// {engine}: {messages:N0} messages in one conversation, filled in {started.Elapsed.TotalSeconds:F0} s");
            Fixtures[(engine, messages)] = fixture;
            return fixture;
        }
    }

    public static async Task CloseAllAsync()
    {
        List<StoreFixture> open;
        lock (Fixtures)
        {
            open = [.. Fixtures.Values];
            Fixtures.Clear();
        }
        foreach (var fixture in open) await fixture.DisposeAsync();
    }
}
