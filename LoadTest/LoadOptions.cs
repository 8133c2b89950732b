using System.Globalization;

namespace ChatHub.LoadTest;

/// <summary>Command line: <c>&lt;scenario&gt; [--option value ...]</c>. Every option has a default that runs on a
/// 2-core laptop in well under a minute.</summary>
public sealed record LoadOptions
{
    public string Scenario { get; init; } = "chat";
    /// <summary>"spawn" starts a Release server with a temporary database; otherwise the URL of a running one.</summary>
    public string Server { get; init; } = "spawn";
    public string? Url { get; init; }
    /// <summary>For --url: the inbox identifier and an administrator's access token.</summary>
    public string? Inbox { get; init; }
    public string? AdminToken { get; init; }
    public int Customers { get; init; } = 200;
    public int Agents { get; init; } = 2;
    /// <summary>Messages per second per customer; 0 sends as fast as acknowledgements come back (closed loop).</summary>
    public double Rate { get; init; } = 1;
    public double ReplyFraction { get; init; } = 0.5;
    public int DurationSeconds { get; init; } = 15;
    public int WarmupSeconds { get; init; } = 3;
    /// <summary>For the connections scenario.</summary>
    public int Connections { get; init; } = 5_000;
    /// <summary>Server addresses 127.0.0.1..N to spread connections over (each gives ~28k more ephemeral ports).</summary>
    public int Addresses { get; init; } = 1;
    public string? Json { get; init; }
    /// <summary>"echo": run echo and chat back to back at full speed, then chat at half of that, and print ratios.
    /// "nodes": chat on one spawned node, then on two (customers on A, agents on B), at full speed and at one rate.</summary>
    public string? Compare { get; init; }
    /// <summary>Spawned nodes: 1, or 2 sharing the database file and a redis-server started by the load test.</summary>
    public int Nodes { get; init; } = 1;
    public string Synchronous { get; init; } = "FULL";
    /// <summary>The store of spawned servers: sqlite, postgres (a cluster started here, fsync on) or litedb.</summary>
    public string Store { get; init; } = "sqlite";
    /// <summary>Messages in the one long conversation whose history pages the history phase times.</summary>
    public int HistoryMessages { get; init; } = 20_000;
    /// <summary>The hub protocol of the .NET connections: json or messagepack.</summary>
    public string Protocol { get; init; } = "json";
    /// <summary>With two nodes: customers and agents each on node A or B in turn (as behind a load balancer), instead
    /// of customers on A and agents on B.</summary>
    public bool Spread { get; init; }
    /// <summary>Extra settings of spawned servers (--server-setting KEY=VALUE, repeatable), e.g. Storage:Postgres:WriterLanes=1.</summary>
    public IReadOnlyList<string> ServerSettings { get; init; } = [];

    public static readonly string[] Stores = ["sqlite", "postgres", "litedb"];
    public static readonly string[] Protocols = ["json", "messagepack"];

    public static LoadOptions Parse(string[] args)
    {
        if (args.Length == 0) throw new UsageException("name a scenario: chat, echo, connections or js");
        if (args[0] is "-h" or "--help") throw new UsageException();
        var options = new LoadOptions { Scenario = args[0] };
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{name} needs a value");
            int Int() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n : throw new UsageException($"{name} takes a whole number >= 0, not '{args[i]}'");
            double Double() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && double.IsFinite(d)
                ? d : throw new UsageException($"{name} takes a number >= 0, not '{args[i]}'");
            options = name switch
            {
                "--server" => options with { Server = Value() },
                "--url" => options with { Server = "url", Url = Value() },
                "--inbox" => options with { Inbox = Value() },
                "--admin-token" => options with { AdminToken = Value() },
                "--customers" => options with { Customers = Int() },
                "--agents" => options with { Agents = Int() },
                "--rate" => options with { Rate = Double() },
                "--reply-fraction" => options with { ReplyFraction = Double() },
                "--duration" => options with { DurationSeconds = Int() },
                "--warmup" => options with { WarmupSeconds = Int() },
                "--connections" => options with { Connections = Int() },
                "--addresses" => options with { Addresses = Int() },
                "--json" => options with { Json = Value() },
                "--compare" => options with { Compare = Value() },
                "--nodes" => options with { Nodes = Int() },
                "--synchronous" => options with { Synchronous = Value() },
                "--store" => options with { Store = Value().ToLowerInvariant() },
                "--history-messages" => options with { HistoryMessages = Int() },
                "--protocol" => options with { Protocol = Value().ToLowerInvariant() },
                "--spread" => options with { Spread = true },
                "--server-setting" => options with { ServerSettings = [.. options.ServerSettings, ServerSetting(Value())] },
                _ => throw new UsageException($"unknown option {name}"),
            };
        }
        if (options.Scenario is not ("chat" or "echo" or "connections")) throw new UsageException($"unknown scenario {options.Scenario}");
        if (options.Server != "spawn" && options.Url is null) throw new UsageException("--server takes spawn; use --url URL for a running server");
        if (options.Nodes is not (1 or 2)) throw new UsageException("--nodes takes 1 or 2");
        if ((options.Nodes == 2 || options.Compare == "nodes") && options.Server != "spawn") throw new UsageException("--nodes 2 and --compare nodes spawn their servers");
        if (options.Spread && options.Nodes != 2 && options.Compare != "nodes") throw new UsageException("--spread needs --nodes 2 or --compare nodes");
        if (options.Compare is not (null or "echo" or "nodes" or "stores")) throw new UsageException("--compare takes echo, nodes or stores");
        if (!Protocols.Contains(options.Protocol)) throw new UsageException("--protocol takes json or messagepack");
        if (!Stores.Contains(options.Store)) throw new UsageException("--store takes sqlite, postgres or litedb");
        if (options.Compare == "stores" && options.Server != "spawn") throw new UsageException("--compare stores spawns its servers");
        if (options.Store == "litedb" && (options.Nodes == 2 || options.Compare == "nodes")) throw new UsageException("LiteDB is one process per file: --nodes 2 needs sqlite or postgres");
        return options;
    }

    /// <summary>KEY=VALUE, as the server's command line takes it (--KEY=VALUE).</summary>
    internal static string ServerSetting(string value) =>
        value.IndexOf('=') > 0 && !value.StartsWith('-') ? value : throw new UsageException($"--server-setting takes KEY=VALUE, not '{value}'");

    public const string Usage = """
        dotnet run -c Release --project LoadTest -- <chat|echo|connections> [options]
        (the js scenario, the official JavaScript client against a bare echo hub: LoadTest -- js --help)
          --server spawn            start a Release server with a temporary database (default)
          --url URL                 target a running server (with --inbox ID --admin-token TOKEN)
          --customers N             customer connections, each in its own conversation (200)
          --agents M                agent connections in the inbox (2)
          --rate R                  messages/s per customer; 0 = as fast as acks return (1)
          --reply-fraction F        share of customer messages an agent answers (0.5)
          --duration S, --warmup S  measured seconds (15), unmeasured warm-up seconds (3)
          --connections N           idle customers for the connections scenario (5000)
          --addresses K             spread connections over server addresses 127.0.0.1..K (1)
          --json FILE               also write the results as JSON
          --compare echo            echo and chat at full speed, then chat at half of it; prints ratios
          --nodes 2                 two spawned nodes (one database file, a redis-server started here);
                                    customers on node A, agents on node B: every message crosses nodes
          --compare nodes           chat on 1 node, then on 2, each at full speed and at half the 1-node
                                    maximum; prints them side by side
          --synchronous MODE        SQLite synchronous of a spawned server (FULL)
          --store S                 store of a spawned server: sqlite (default), postgres (a cluster
                                    started here with initdb/pg_ctl, fsync on) or litedb
          --compare stores          on each store in turn: chat at full speed (durable msgs/s), then the
                                    history phase; prints the stores side by side
          --history-messages N      the history phase fills one conversation with N messages, then times
                                    pages of the last 50 before a random message (20000)
          --protocol P              hub protocol of the .NET connections: json (default) or messagepack
          --spread                  with two nodes: customers and agents on node A and B in turn (as
                                    behind a load balancer) rather than customers on A, agents on B
          --server-setting K=V      an extra setting of each spawned server (repeatable), e.g.
                                    Storage:Postgres:WriterLanes=1
        """;
}

/// <summary>A command line that cannot run: its message (empty when help was asked for), then the usage text.</summary>
public sealed class UsageException(string message = "") : Exception(message);
