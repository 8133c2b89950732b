using BenchmarkDotNet.Running;
using ChatHub.Benchmarks;

// dotnet run -c Release --project Benchmarks -- --filter '*'   (or *History*, *Append*)
// dotnet run -c Release --project Benchmarks -- pages [messages] [concurrency] [conversations]
// dotnet run -c Release --project Benchmarks -- history [messages] [sqlite,litedb,postgres] [seed|send]
if (args is ["pages", .. var rest]) await PagesProbe.RunAsync(rest);
else if (args is ["history", .. var more]) await HistoryProbe.RunAsync(more);
else BenchmarkSwitcher.FromAssembly(typeof(StoreFixture).Assembly).Run(args);
