using ChatHub.LoadTest;
using ChatHub.LoadTest.Scenarios;
using ChatHub.LoadTest.Setup;

if (args.Length > 0 && args[0] == "js") return await RunJsAsync(args[1..]);

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (UsageException ex)
{
    // Help asked for: the usage on stdout, success. A bad command line: what is wrong, then the usage, exit 2.
    if (ex.Message.Length == 0)
    {
        Console.WriteLine(LoadOptions.Usage);
        return 0;
    }
    Console.Error.WriteLine($"loadtest: {ex.Message}");
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

Console.Error.WriteLine($"[machine] {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
Console.Error.WriteLine($"[protocol] {options.Protocol}");
if (options.Compare == "nodes")
{
    var compared = await NodesComparison.RunAsync(options);
    Report.Print(compared);
    Report.PrintNodesComparison(compared);
    if (options.Json is not null) Report.WriteJson(options.Json, new { options, phases = compared });
    return 0;
}

if (options.Compare == "stores")
{
    var stores = await StoresComparison.RunAsync(options);
    Report.Print(stores.Select(s => s.Chat).ToList());
    Report.PrintStoresComparison(stores);
    if (options.Json is not null) Report.WriteJson(options.Json, new { options, stores });
    return 0;
}

await using var server = options.Server == "spawn" ? await ServerUnderTest.SpawnAsync(options) : ServerUnderTest.Attach(options);
await using var population = new Population(server, options.Protocol);

if (options.Scenario == "connections")
{
    var result = await ConnectionsScenario.RunAsync(options, server, population);
    Console.WriteLine($"connections: {result.Connected:N0} of {result.Requested:N0} open ({result.Failures} failed), {result.StillConnected:N0} still open after 10 s idle");
    Console.WriteLine($"connect time {result.ConnectSeconds:F1} s; server memory {result.ServerResidentBefore / 1048576.0:F0} -> {result.ServerResidentAfter / 1048576.0:F0} MiB (peak {result.ServerPeakResident / 1048576.0:F0} MiB): {result.BytesPerConnection / 1024:F1} KiB per connection");
    if (options.Json is not null) Report.WriteJson(options.Json, new { options, result });
    return result.Failures == 0 ? 0 : 1;
}

var world = new ChatWorld(options, server, population);
await world.ConnectAsync();
var phases = new List<PhaseResult>();
if (options.Compare == "echo")
{
    var echo = await world.RunEchoAsync("echo-max", 0);
    var chat = await world.RunChatAsync("chat-max", 0);
    var halfRate = chat.AcknowledgedPerSecond / 2 / options.Customers;
    var half = await world.RunChatAsync("chat-half", halfRate);
    phases.AddRange([echo, chat, half]);
    Report.Print(phases);
    Report.PrintComparison(echo, chat, half);
}
else
{
    phases.Add(options.Scenario == "echo"
        ? await world.RunEchoAsync("echo", options.Rate)
        : await world.RunChatAsync("chat", options.Rate));
    Report.Print(phases);
}
if (options.Json is not null) Report.WriteJson(options.Json, new { options, phases });
return 0;

// The js scenario (issue 22's yardstick): its own options, its own report.
static async Task<int> RunJsAsync(string[] args)
{
    JsOptions options;
    try
    {
        options = JsOptions.Parse(args);
    }
    catch (UsageException ex)
    {
        if (ex.Message.Length == 0)
        {
            Console.WriteLine(JsOptions.Usage);
            return 0;
        }
        Console.Error.WriteLine($"loadtest: {ex.Message}");
        Console.Error.WriteLine(JsOptions.Usage);
        return 2;
    }
    Console.Error.WriteLine($"[machine] {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
    var results = await JsScenario.RunAsync(options);
    JsScenario.Print(results);
    if (options.Json is not null) Report.WriteJson(options.Json, new { options, results });
    return results.Sum(r => r.Errors.Values.Sum()) == 0 ? 0 : 1;
}
