using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatHub.LoadTest.Setup;

/// <summary>Runs LoadTest/js/closed-loop.mjs under Node (the official @microsoft/signalr client), installing the client
/// there with npm on first use (node_modules is never committed), and relays the JSON lines it prints.</summary>
public static class NodeClient
{
    private const string Package = "@microsoft/signalr";

    public static async Task EnsureInstalledAsync()
    {
        var folder = EchoServerProcess.RepositoryFile("LoadTest", "js");
        if (File.Exists(Path.Combine(folder, "node_modules", Package, "package.json"))) return;
        Console.Error.WriteLine($"[setup] npm ci in {folder}");
        var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]) { WorkingDirectory = folder })
            ?? throw new InvalidOperationException("npm did not start");
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci in {folder} failed (exit {npm.ExitCode}); the js scenario needs Node.js 18+ and npm on PATH");
    }

    /// <summary>Starts the script with <paramref name="config"/>; <paramref name="onLine"/> gets each JSON line it prints
    /// (the process, so that its CPU can be read, and the line). Returns the script's exit code.</summary>
    public static async Task<int> RunAsync(object config, Func<Process, JsonObject, Task> onLine)
    {
        var folder = EchoServerProcess.RepositoryFile("LoadTest", "js");
        var configFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(configFile, JsonSerializer.Serialize(config, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        try
        {
            var start = new ProcessStartInfo("node", ["closed-loop.mjs", configFile])
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
            node.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[node] {e.Data}"); };
            node.BeginErrorReadLine();
            while (await node.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith('{') && JsonNode.Parse(line) is JsonObject json) await onLine(node, json);
            }
            await node.WaitForExitAsync();
            return node.ExitCode;
        }
        finally
        {
            File.Delete(configFile);
        }
    }
}
