using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Operations;

/// <summary>A server that cannot start says why in one line naming what to change, exits 1, and prints no stack
/// trace: the real server process, as an operator runs it.</summary>
public sealed class StartupErrorTests
{
    [Fact]
    public async Task A_busy_port_names_the_port_and_how_to_choose_another()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var line = await FailedStartAsync("--urls", $"http://127.0.0.1:{port}");

        Assert.Contains($"port {port} is in use", line);
        Assert.Contains("--urls", line);
    }

    [Fact]
    public async Task A_data_path_that_cannot_be_written_names_the_path()
    {
        // A file where the folder should be: unwritable whoever runs the test (root included).
        var file = Path.Combine(TempDirectory.Create().Path, "not-a-folder");
        await File.WriteAllTextAsync(file, "");
        var path = Path.Combine(file, "chathub.db");

        var line = await FailedStartAsync($"--Storage:Sqlite:Path={path}");

        Assert.Contains("Storage:Sqlite:Path", line);
        Assert.Contains(path, line);
    }

    [Theory]
    [InlineData("--Limits:MaxPageSize=abc", "Limits:MaxPageSize is 'abc': it must be a whole number")]
    [InlineData("--Limits:RateLimitsEnabled=maybe", "Limits:RateLimitsEnabled is 'maybe': it must be true or false")]
    [InlineData("--Limits:MaxPageSize=0", "Limits:MaxPageSize must be at least 1")]
    [InlineData("--Limits:TypingPerMinute=-5", "Limits:TypingPerMinute must not be negative")]
    [InlineData("--Storage:Provider=Mongo", "Storage:Provider is 'Mongo'")]
    [InlineData("--Limits:PendingUploadTtl=soon", "Limits:PendingUploadTtl is 'soon': it must be a duration")]
    [InlineData("--Limits:PendingUploadTtl=00:00:00", "Limits:PendingUploadTtl must be between 1 second and 365 days")]
    [InlineData("--Limits:UploadBytesPerContactPerHour=1000", "Limits:UploadBytesPerContactPerHour (1000) must be 0 (off) or at least Limits:MaxAttachmentBytes")]
    [InlineData("--Limits:UploadBytesPerInboxPerHour=-1", "Limits:UploadBytesPerInboxPerHour must not be negative")]
    [InlineData("--ForwardedHeaders:KnownProxies:0=proxy.local", "ForwardedHeaders:KnownProxies has 'proxy.local': it must be an IP address")]
    [InlineData("--Metrics:Port=metrics", "Metrics:Port is 'metrics': it must be a whole number")]
    [InlineData("--Metrics:Port=70000", "Metrics:Port is 70000: it must be a port, 1 to 65535")]
    public async Task A_setting_of_the_wrong_type_or_out_of_range_names_the_key(string setting, string expected)
    {
        var line = await FailedStartAsync(setting);

        Assert.Contains(expected, line);
    }

    /// <summary>Runs the server with <paramref name="args"/> (on a fresh SQLite file unless they say otherwise) and
    /// returns its one-line complaint, after checking it exited 1 with nothing else on stderr.</summary>
    private static async Task<string> FailedStartAsync(params string[] args)
    {
        var directory = TempDirectory.Create().Path;
        var start = new ProcessStartInfo(ServerProcess.DotnetHost())
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerProcess.FindServerDll());
        if (!args.Any(a => a.StartsWith("--urls"))) { start.ArgumentList.Add("--urls"); start.ArgumentList.Add("http://127.0.0.1:0"); }
        if (!args.Any(a => a.StartsWith("--Storage:Sqlite:Path"))) start.ArgumentList.Add($"--Storage:Sqlite:Path={Path.Combine(directory, "chathub.db")}");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove(Hosting.StartupFailure.TraceVariable);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));

        var stderr = (await error).Trim();
        Assert.True(process.ExitCode == 1, $"exit code {process.ExitCode}\nstdout: {await output}\nstderr: {stderr}");
        Assert.StartsWith("ChatHub cannot start: ", stderr);
        Assert.DoesNotContain('\n', stderr);
        Assert.DoesNotContain("   at ", await output);
        return stderr;
    }
}
