using System.Globalization;

namespace ChatHub.Server.Common;

/// <summary>How many connections Kestrel accepts at once. Each WebSocket holds a file descriptor; past the
/// process's limit accept() fails and so does opening the database, so the server stops short of it and turns
/// extra connections away instead (clients reconnect with backoff).</summary>
public static class ConnectionLimit
{
    /// <summary>Descriptors kept for the database, logs and outbound connections.</summary>
    private const long Reserve = 512;

    /// <param name="configured">Limits:MaxConnections; 0 or less means "derive from the process's file limit".</param>
    public static long? Resolve(long configured)
    {
        if (configured > 0) return configured;
        var openFiles = SoftOpenFilesLimit();
        return openFiles is { } limit && limit > 2 * Reserve ? limit - Reserve : null;
    }

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
