using BenchmarkDotNet.Running;
using ChatHub.Benchmarks;

// dotnet run -c Release --project Benchmarks -- --filter '*History*'   (or *Append*; HistoryBenchmarks runs in this process)
// dotnet run -c Release --project Benchmarks -- pages [messages] [concurrency] [conversations]
// dotnet run -c Release --project Benchmarks -- history [messages] [sqlite,litedb,postgres] [seed|send]
// dotnet run -c Release --project Benchmarks -- nodes [seconds] [writers] [rounds] [lanes]
// dotnet run -c Release --project Benchmarks -- reports [messages] [sqlite,litedb,postgres] [conversations]
// dotnet run -c Release --project Benchmarks -- search [messages] [sqlite,litedb,postgres]
if (args is ["pages", .. var rest]) await PagesProbe.RunAsync(rest);
else if (args is ["nodes", .. var nodesArgs]) await NodesProbe.RunAsync(nodesArgs);
else if (args is ["history", .. var more]) await HistoryProbe.RunAsync(more);
else if (args is ["reports", .. var reportArgs]) await ReportsProbe.RunAsync(reportArgs);
else if (args is ["search", .. var searchArgs]) await SearchProbe.RunAsync(searchArgs);
else
{
    // The stores HistoryBenchmarks filled (a PostgreSQL cluster among them) close with the run, or when it is stopped.
    Console.CancelKeyPress += (_, _) => HistoryStores.CloseAllAsync().GetAwaiter().GetResult();
    try { BenchmarkSwitcher.FromAssembly(typeof(StoreFixture).Assembly).Run(args); }
    finally { await HistoryStores.CloseAllAsync(); }
}
