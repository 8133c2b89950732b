using System.Globalization;
using ChatHub.Server.Common;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace ChatHub.Server.Hosting;

/// <summary>How many connections the server holds at once. Each connection, a WebSocket included, holds a file
/// descriptor; past the process's limit accept() fails (a review's 20,000 sockets killed the process in
/// SocketConnectionListener.AcceptAsync) and so does opening the database. So the server stops short of it and turns
/// extra connections away instead (clients reconnect with backoff).</summary>
/// <param name="Connections">Kestrel's cap on TCP connections (upgraded ones included, see ChatHubApp); null: none.</param>
/// <param name="Realtime">The cap on hub connections and /cable sockets together (ConnectionBudget); null: none.</param>
public sealed record ConnectionLimit(long? Connections, long? Realtime)
{
    /// <summary>Descriptors kept for the database, logs, Redis and outbound connections (webhooks).</summary>
    public const long Reserve = 512;

    /// <summary>The caps for this process's open-files limit; configured ones above it stop the start.</summary>
    public static ConnectionLimit Resolve(ChatLimits limits) => Resolve(limits, SoftOpenFilesLimit());

    /// <param name="openFiles">The process's open-files limit; null when unknown or unlimited (then only configured
    /// caps apply).</param>
    public static ConnectionLimit Resolve(ChatLimits limits, long? openFiles)
    {
        long? available = openFiles is { } files ? files - Math.Min(Reserve, files / 2) : null;
        var connections = limits.MaxConnections > 0 ? limits.MaxConnections : available;
        if (limits.MaxConnections > 0 && limits.MaxConnections > available)
            throw new InvalidSettingsException($"Limits:MaxConnections is {limits.MaxConnections}: {AboveTheFileLimit(openFiles, available)}");
        if (limits.MaxRealtimeConnections <= 0) return new ConnectionLimit(connections, connections - connections / 10);
        if (limits.MaxRealtimeConnections > connections)
        {
            throw new InvalidSettingsException($"Limits:MaxRealtimeConnections is {limits.MaxRealtimeConnections}: " + (limits.MaxConnections > 0
                ? $"it must not exceed Limits:MaxConnections ({limits.MaxConnections})"
                : AboveTheFileLimit(openFiles, available)));
        }
        return new ConnectionLimit(connections, limits.MaxRealtimeConnections);
    }

    private static string AboveTheFileLimit(long? openFiles, long? available) =>
        $"the process may open {openFiles} files and keeps {openFiles - available} for the store, logs and Redis, so at most " +
        $"{available} connections fit; lower it (0 derives it) or raise the open-files limit (ulimit -n, systemd LimitNOFILE)";

    /// <summary>Linux: "Max open files" of /proc/self/limits (soft limit); null elsewhere or when unlimited.</summary>
    private static long? SoftOpenFilesLimit()
    {
        const string limits = "/proc/self/limits";
        if (!OperatingSystem.IsLinux() || !File.Exists(limits)) return null;
        var line = File.ReadLines(limits).FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}

/// <summary>Kestrel's <c>MaxConcurrentConnections</c> stops counting a connection once it is upgraded (a WebSocket):
/// a review had 1,000 /cable sockets accepted under a cap of 300, so the cap bounded nothing the attack used. This
/// keeps upgraded connections counted until they close.</summary>
public static class UpgradedConnectionCount
{
    /// <summary>A connection middleware on every endpoint (ConfigureEndpointDefaults). Kestrel releases an upgraded
    /// connection's count through the connection's <see cref="IDecrementConcurrentConnectionCountFeature"/>; with that
    /// feature removed the count is released only when the connection closes (Kestrel's connection-limit middleware
    /// keeps its own handle for that), so the cap bounds every descriptor a client can hold.</summary>
    public static void CountUpgradedConnections(this ListenOptions endpoint) =>
        endpoint.Use(next => connection =>
        {
            connection.Features.Set<IDecrementConcurrentConnectionCountFeature>(null);
            return next(connection);
        });
}
