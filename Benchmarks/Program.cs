using BenchmarkDotNet.Running;

// dotnet run -c Release --project Benchmarks -- --filter '*'   (or *History*, *Append*)
BenchmarkSwitcher.FromAssembly(typeof(ChatHub.Benchmarks.StoreFixture).Assembly).Run(args);
