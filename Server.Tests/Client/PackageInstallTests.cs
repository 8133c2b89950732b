using System.IO.Compression;
using System.Xml.Linq;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.Client;

/// <summary>ChatHub.Client and ChatHub.Contracts as a desktop developer gets them: packed once (as
/// <c>dotnet pack</c> makes them) into a local folder feed, installed by a fresh console project per target framework
/// with a PackageReference (no project reference), and run against a real server: a customer sends, an agent
/// receives and replies, with the quick start of docs/client.md as the program. net8.0 runs on this machine's .NET 10 runtime with DOTNET_ROLL_FORWARD=Major.</summary>
public sealed class PackageInstallTests(PackageInstallTests.PackedClient packed) : IClassFixture<PackageInstallTests.PackedClient>
{
    /// <summary>The quick start of docs/client.md, as a developer copies it, and one line more that says which build of
    /// the client ran.</summary>
    private static string Program()
    {
        var page = File.ReadAllText(Path.Combine(DotnetCommand.RepositoryRoot(), "docs", "client.md"));
        var block = page[page.IndexOf("<!-- quick-start:begin", StringComparison.Ordinal)..page.IndexOf("<!-- quick-start:end -->", StringComparison.Ordinal)];
        var code = block[(block.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length)..block.LastIndexOf("```", StringComparison.Ordinal)];
        return code + """
            Console.WriteLine($"client built for {System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>(typeof(ChatHub.Client.CustomerSession).Assembly)?.FrameworkName}");
            """;
    }

    [Theory]
    [InlineData("net8.0", ".NETCoreApp,Version=v8.0")]
    [InlineData("net10.0", ".NETCoreApp,Version=v10.0")]
    public async Task A_fresh_project_installs_the_client_from_a_local_feed_and_chats_with_a_server(string targetFramework, string clientBuild)
    {
        var dir = TempDirectory.Create().Path;
        await File.WriteAllTextAsync(Path.Combine(dir, "Desk.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{targetFramework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ChatHub.Client" Version="{packed.Version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, "NuGet.config"), packed.NuGetConfig(Path.Combine(dir, "packages")));
        await File.WriteAllTextAsync(Path.Combine(dir, "Program.cs"), Program());
        var output = Path.Combine(dir, "out");

        var build = await DotnetCommand.RunAsync(dir, TimeSpan.FromMinutes(6), "build", "Desk.csproj", "-c", "Release", "-o", output,
            "--nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        Assert.True(build.ExitCode == 0, $"the fresh project did not build:\n{build.Output}");
        // Installed from the local feed as a package, the build of this target framework picked from it.
        var assets = await File.ReadAllTextAsync(Path.Combine(dir, "obj", "project.assets.json"));
        Assert.Contains($"\"ChatHub.Client/{packed.Version}\"", assets);
        Assert.Contains($"lib/{targetFramework}/ChatHub.Client.dll", assets);
        Assert.Contains($"lib/{targetFramework}/ChatHub.Contracts.dll", assets);

        await using var server = await ChatServer.StartAsync();
        var run = await DotnetCommand.RunAsync(dir, TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["DOTNET_ROLL_FORWARD"] = "Major" },
            Path.Combine(output, "Desk.dll"), server.BaseUrl.ToString(), server.InboxIdentifier, server.AgentToken);

        Assert.True(run.ExitCode == 0, $"the app failed:\n{run.Output}");
        // What docs/client.md says it prints.
        Assert.Contains("agent Admin is online", run.Output);
        Assert.Contains("customer sent seq 1", run.Output);
        Assert.Contains("agent received: Hello, is anyone there?", run.Output);
        Assert.Contains("customer received: Hi Ann, how can I help?", run.Output);
        Assert.Contains($"client built for {clientBuild}", run.Output);
    }

    [Fact]
    public void The_packages_carry_complete_metadata_for_every_target()
    {
        foreach (var id in new[] { "ChatHub.Client", "ChatHub.Contracts" })
        {
            using var package = ZipFile.OpenRead(packed.PackagePath(id));
            var nuspec = package.Entries.Single(e => e.FullName == $"{id}.nuspec");
            XNamespace ns;
            XElement metadata;
            using (var stream = nuspec.Open())
            {
                var document = XDocument.Load(stream);
                ns = document.Root!.Name.Namespace;
                metadata = document.Root.Element(ns + "metadata")!;
            }
            string Field(string name) => metadata.Element(ns + name)?.Value ?? "";

            Assert.Equal(id, Field("id"));
            Assert.Equal(packed.Version, Field("version"));
            Assert.StartsWith("The ", Field("description"));
            Assert.NotEqual("Package Description", Field("description"));
            Assert.False(string.IsNullOrWhiteSpace(Field("authors")));
            Assert.Equal("MIT", Field("license"));
            Assert.Equal("expression", metadata.Element(ns + "license")!.Attribute("type")!.Value);
            Assert.StartsWith("https://", Field("projectUrl"));
            Assert.Contains("signalr", Field("tags").Split(' '));
            var repository = metadata.Element(ns + "repository")!;
            Assert.Equal("git", repository.Attribute("type")!.Value);
            Assert.StartsWith("https://", repository.Attribute("url")!.Value);

            // The readme is in the package, with a quick start that installs the client.
            Assert.Equal("README.md", Field("readme"));
            using (var readme = new StreamReader(package.GetEntry("README.md")!.Open()))
                Assert.Contains("dotnet add package ChatHub.Client", readme.ReadToEnd());

            // Every target framework: its assembly and XML docs, and its own dependency group.
            var groups = metadata.Element(ns + "dependencies")!.Elements(ns + "group")
                .ToDictionary(g => g.Attribute("targetFramework")!.Value, g => g.Elements(ns + "dependency").ToDictionary(
                    d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value));
            Assert.Equal(["net10.0", "net8.0"], groups.Keys.Order());
            foreach (var (framework, dependencies) in groups)
            {
                Assert.NotNull(package.GetEntry($"lib/{framework}/{id}.dll"));
                Assert.NotNull(package.GetEntry($"lib/{framework}/{id}.xml"));
                if (id == "ChatHub.Client")
                {
                    // Built and versioned together: the client asks for exactly its own version of the contracts.
                    Assert.Equal(packed.Version, dependencies["ChatHub.Contracts"]);
                    Assert.Equal("10.0.15", dependencies["Microsoft.AspNetCore.SignalR.Client"]);
                }
            }

            // Symbols beside it: a .snupkg with a portable PDB per target framework.
            using var symbols = ZipFile.OpenRead(Path.ChangeExtension(packed.PackagePath(id), ".snupkg"));
            foreach (var framework in groups.Keys)
                Assert.NotNull(symbols.GetEntry($"lib/{framework}/{id}.pdb"));
        }
    }

    /// <summary>Packs Contracts and Client once for the class, as <c>dotnet pack</c> does, into a folder feed; the
    /// build goes to its own artifacts folder, so it never touches the repository's bin and obj.</summary>
    public sealed class PackedClient : IAsyncLifetime
    {
        private readonly string _root = TempDirectory.Create().Path;
        public string Feed => Path.Combine(_root, "feed");
        public string Version { get; private set; } = "";

        public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

        /// <summary>A NuGet.config of the fresh project: ChatHub's packages from the local feed only (a package of
        /// the same name elsewhere is never taken), everything else from this machine's package cache or the
        /// registry. Its own packages folder, so a package packed again is never served from an old copy.</summary>
        public string NuGetConfig(string packagesFolder)
        {
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
                ? set
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var cacheSource = Directory.Exists(cache) ? $"""<add key="cache" value="{cache}" />""" : "";
            var cacheMapping = Directory.Exists(cache) ? """<packageSource key="cache"><package pattern="*" /></packageSource>""" : "";
            return $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <config><add key="globalPackagesFolder" value="{packagesFolder}" /></config>
                  <packageSources>
                    <clear />
                    <add key="local" value="{Feed}" />
                    {cacheSource}
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
                  </packageSources>
                  <packageSourceMapping>
                    <packageSource key="local"><package pattern="ChatHub.*" /></packageSource>
                    {cacheMapping}
                    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
                  </packageSourceMapping>
                </configuration>
                """;
        }

        public async Task InitializeAsync()
        {
            var repository = DotnetCommand.RepositoryRoot();
            foreach (var project in new[] { "Contracts/ChatHub.Contracts.csproj", "Client/ChatHub.Client.csproj" })
            {
                var pack = await DotnetCommand.RunAsync(repository, TimeSpan.FromMinutes(6), "pack", project, "-c", "Release",
                    "-o", Feed, "--nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false",
                    "-p:UseArtifactsOutput=true", $"-p:ArtifactsPath={Path.Combine(_root, "artifacts")}");
                Assert.True(pack.ExitCode == 0, $"dotnet pack {project} failed:\n{pack.Output}");
            }
            var client = Directory.GetFiles(Feed, "ChatHub.Client.*.nupkg").Single();
            Version = Path.GetFileNameWithoutExtension(client)["ChatHub.Client.".Length..];
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
