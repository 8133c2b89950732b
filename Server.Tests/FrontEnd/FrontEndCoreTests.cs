using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.FrontEnd;

/// <summary>The front ends' JavaScript unit tests (wwwroot-src/test/*.test.mjs), run with Node's built-in test runner:
/// the protocol (seq tracking and gap fill, the outbox's echoId retries, the connection, error codes, seen markers, the
/// REST wrapper against a loopback server), rendering (answers, Markdown, the log's grouping, times), the console's
/// logic (the list's state, ordering and filters, the open thread, drafts, settings) and the widget's (its
/// conversation state, identity, availability). The server's build installed wwwroot-src/node_modules (markdown-it).</summary>
public sealed partial class FrontEndCoreTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Node_unit_tests_of_the_client_core_pass()
    {
        var folder = FrontEndFolder();
        var tests = Directory.GetFiles(Path.Combine(folder, "test"), "*.test.mjs").Select(f => Path.Combine("test", Path.GetFileName(f))).Order().ToArray();
        Assert.NotEmpty(tests);

        var run = await NodeScripts.RunAsync("node", ["--test", "--test-reporter=tap", .. tests], folder, Timeout, "front-end unit tests");
        output.WriteLine(run.StdOut);
        if (run.StdErr.Length > 0) output.WriteLine("stderr:\n" + run.StdErr);

        var passed = Count(PassLine(), run.StdOut);
        var failed = Count(FailLine(), run.StdOut);
        Assert.True(run.ExitCode == 0 && failed == 0 && passed > 0,
            $"node --test exited {run.ExitCode}: {passed} passed, {failed} failed.\n{run.StdOut}\n{run.StdErr}");
    }

    private static int Count(Regex line, string tap) => line.Match(tap) is { Success: true } m ? int.Parse(m.Groups[1].Value) : -1;

    [GeneratedRegex(@"^# pass (\d+)$", RegexOptions.Multiline)]
    private static partial Regex PassLine();

    [GeneratedRegex(@"^# fail (\d+)$", RegexOptions.Multiline)]
    private static partial Regex FailLine();

    /// <summary>wwwroot-src in the repository (the folder that holds ChatHub.sln, above the test assembly).</summary>
    private static string FrontEndFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ChatHub.sln"))) return Path.Combine(dir.FullName, "wwwroot-src");
        Assert.Fail($"No ChatHub.sln above {AppContext.BaseDirectory}: cannot find wwwroot-src");
        return "";
    }
}
