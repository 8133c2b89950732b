using System.Globalization;

namespace ChatHub.LoadTest;

/// <summary>Command line of the <c>js</c> scenario (<see cref="Scenarios.JsScenario"/>): the official JavaScript
/// client in a closed loop against the bare echo hub, against ChatHub's durable SendMessage, or both in one run.</summary>
public sealed record JsOptions
{
    /// <summary>"echo": the bare SignalR echo server (LoadTest/EchoServer); "send": ChatHub's SendMessage; "ping":
    /// ChatHub's Ping on the same connections (its transport, authentication and middlewares, no store).</summary>
    public string Target { get; init; } = "send";
    /// <summary>"echo": the echo server, then ChatHub's Ping, then its SendMessage, one after the other in this run,
    /// and the send/echo ratios. "stores": SendMessage on SQLite, PostgreSQL and LiteDB in turn, and each store's
    /// ratio to SQLite.</summary>
    public string? Compare { get; init; }
    /// <summary>The whole sequence of targets this many times, interleaved (so that the machine's other work falls on
    /// every target alike); the ratios are then the medians of the rounds'.</summary>
    public int Rounds { get; init; } = 1;
    public int Connections { get; init; } = 50;
    public int DurationSeconds { get; init; } = 10;
    public int WarmupSeconds { get; init; } = 3;
    public string Store { get; init; } = "sqlite";
    public string Synchronous { get; init; } = "FULL";
    public string? Json { get; init; }
    /// <summary>A folder: each target's server is traced during its measured window (dotnet-trace collect-linux,
    /// cpu-sampling) into TARGET.nettrace there.</summary>
    public string? Trace { get; init; }
    /// <summary>Extra settings of the spawned ChatHub server (--server-setting KEY=VALUE, repeatable).</summary>
    public IReadOnlyList<string> ServerSettings { get; init; } = [];

    /// <summary>The runs of one round: a target, and the store of ChatHub's server (none for the echo server).</summary>
    public IReadOnlyList<(string Target, string Store)> Runs => Compare switch
    {
        "echo" => [("echo", ""), ("ping", Store), ("send", Store)],
        "stores" => LoadOptions.Stores.Select(store => ("send", store)).ToArray(),
        _ => [(Target, Target == "echo" ? "" : Store)],
    };

    public static JsOptions Parse(string[] args)
    {
        var options = new JsOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help") throw new UsageException();
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{name} needs a value");
            int Int(int min) => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
                ? n : throw new UsageException($"{name} takes a whole number >= {min}, not '{args[i]}'");
            options = name switch
            {
                "--target" => options with { Target = Value() },
                "--compare" => options with { Compare = Value() },
                "--connections" => options with { Connections = Int(1) },
                "--duration" => options with { DurationSeconds = Int(1) },
                "--warmup" => options with { WarmupSeconds = Int(0) },
                "--rounds" => options with { Rounds = Int(1) },
                "--store" => options with { Store = Value().ToLowerInvariant() },
                "--synchronous" => options with { Synchronous = Value() },
                "--json" => options with { Json = Value() },
                "--trace" => options with { Trace = Value() },
                "--server-setting" => options with { ServerSettings = [.. options.ServerSettings, LoadOptions.ServerSetting(Value())] },
                _ => throw new UsageException($"unknown option {name} for the js scenario"),
            };
        }
        if (options.Target is not ("echo" or "ping" or "send")) throw new UsageException("--target takes echo, ping or send");
        if (options.Compare is not (null or "echo" or "stores")) throw new UsageException("--compare takes echo or stores in the js scenario");
        if (!LoadOptions.Stores.Contains(options.Store)) throw new UsageException("--store takes sqlite, postgres or litedb");
        return options;
    }

    public const string Usage = """
        dotnet run -c Release --project LoadTest -- js [options]
          the official @microsoft/signalr client (Node.js; npm installs it into LoadTest/js on first run),
          N connections each calling in a closed loop; reports calls/s, latency and server CPU per call
          --target send|echo|ping   send: ChatHub's durable SendMessage, each customer in a conversation of
                                    its own, one agent connected in the inbox (every message is pushed to
                                    it); echo: a bare SignalR hub that only echoes (LoadTest/EchoServer);
                                    ping: ChatHub's Ping on the same connections (no store) (send)
          --compare echo            echo, then ping, then send, in one run; prints the send/echo ratios
          --compare stores          send on sqlite, then postgres, then litedb; prints each store's ratios to sqlite
          --rounds N                the whole sequence N times, interleaved; ratios are the rounds' medians (1)
          --connections N           connections calling at once (50)
          --duration S, --warmup S  measured seconds (10), unmeasured warm-up seconds (3)
          --store S                 ChatHub's store: sqlite (default), postgres or litedb
          --synchronous MODE        SQLite synchronous of the spawned server (FULL)
          --json FILE               also write the results as JSON
          --trace DIR               trace each server's measured window (dotnet-trace collect-linux
                                    --profile cpu-sampling, needs root) into DIR/TARGET.nettrace
          --server-setting K=V      an extra setting of ChatHub's server (repeatable), e.g.
                                    Storage:Postgres:WriterLanes=1
        """;
}
