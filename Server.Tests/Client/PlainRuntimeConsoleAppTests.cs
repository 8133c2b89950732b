using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>The client library needs no ASP.NET Core runtime: a console app that references only ChatHub.Client
/// is built in a folder of its own, runs with plain <c>dotnet</c> on Microsoft.NETCore.App alone, and chats with a
/// real server.</summary>
public sealed class PlainRuntimeConsoleAppTests
{
    private const string Program = """
        using ChatHub.Client;

        await using var customer = new CustomerSession(new CustomerSessionOptions
        {
            ServerUrl = new Uri(args[0]),
            InboxIdentifier = args[1],
            Name = "Console",
        });
        var reply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        customer.MessageCreated += m =>
        {
            if (m.Content.StartsWith("reply:")) reply.TrySetResult(m.Content);
            return Task.CompletedTask;
        };
        await customer.StartAsync();
        var sent = await customer.SendMessageAsync("hello from a console app");
        Console.WriteLine($"sent seq {sent.Seq}");
        Console.WriteLine($"got {await reply.Task.WaitAsync(TimeSpan.FromSeconds(60))}");
        """;

    [Fact]
    public async Task A_console_app_referencing_only_the_client_runs_on_the_plain_runtime_and_chats_with_a_server()
    {
        var dir = TempDirectory.Create().Path;
        await File.WriteAllTextAsync(Path.Combine(dir, "Probe.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{ClientProject()}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, "Program.cs"), Program);
        var output = Path.Combine(dir, "out");
        // Built under its own artifacts folder, so this build never touches the repository's bin and obj.
        var publish = await RunAsync(dir, TimeSpan.FromMinutes(5), "publish", "Probe.csproj", "-c", "Release", "-o", output, "--nologo",
            "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:UseArtifactsOutput=true", $"-p:ArtifactsPath={Path.Combine(dir, "artifacts")}");
        Assert.True(publish.ExitCode == 0, $"dotnet publish failed:\n{publish.Output}");

        using var runtimeConfig = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "Probe.runtimeconfig.json")));
        var options = runtimeConfig.RootElement.GetProperty("runtimeOptions");
        var frameworks = options.TryGetProperty("frameworks", out var list)
            ? list.EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList()
            : [options.GetProperty("framework").GetProperty("name").GetString()];
        Assert.Equal(["Microsoft.NETCore.App"], frameworks);

        await using var server = await ChatServer.StartAsync();
        await using var agent = await HubSession.ConnectAsync(server, server.AgentToken);
        var run = RunAsync(dir, TimeSpan.FromMinutes(2), Path.Combine(output, "Probe.dll"), server.BaseUrl.ToString(), server.InboxIdentifier);
        var hello = await agent.Pushes.WaitFor<Pushed.MessageCreated>(m => m.Message.Content == "hello from a console app", TimeSpan.FromSeconds(90));
        await agent.Hub.SendMessageAsync(new SendMessageRequest { ConversationId = hello.Message.ConversationId, Content = "reply: hi console" });
        var result = await run;

        Assert.True(result.ExitCode == 0, $"the console app failed:\n{result.Output}");
        Assert.Contains("sent seq 1", result.Output);
        Assert.Contains("got reply: hi console", result.Output);
    }

    private static string ClientProject() => Path.Combine(DotnetCommand.RepositoryRoot(), "Client", "ChatHub.Client.csproj");

    private static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan within, params string[] args) =>
        DotnetCommand.RunAsync(workingDirectory, within, args);
}
