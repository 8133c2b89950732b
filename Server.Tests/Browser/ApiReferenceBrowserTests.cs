using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>The API reference at /docs is a self-hosted administrator's page: it loads nothing from another host
/// (no fonts, scripts or telemetry) and offers none of Scalar's hosted services (its AI chat, deploying, SDKs).</summary>
public sealed class ApiReferenceBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task Docs_makes_no_request_to_another_host_and_offers_no_Deploy_Ask_AI_or_Generate_SDK()
    {
        await using var server = await ChatServer.StartAsync();
        var page = await NewPageAsync("administrator", 1400, 900);
        var requested = new List<string>();
        page.Request += (_, request) => { lock (requested) requested.Add(request.Url); };

        // As an administrator opens it on their own machine: Scalar shows its hosted offers on "localhost".
        var docs = new UriBuilder(server.BaseUrl) { Host = "localhost", Path = "/docs/" }.Uri;
        await page.GotoAsync(docs.ToString());
        // The reference has rendered from the OpenAPI document (read from here): its tags and operations show.
        await Expect(page.GetByText("Client API").First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "ChatHub", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText("Create a contact").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await ScreenshotAsync(page, "docs");

        // Scalar's hosted offers (shown by default on localhost: "Ask AI" beside the search, "Configure", "Share",
        // "Generate SDK" and "Deploy .NET" in its developer toolbar): none is on the page.
        var offers = new Regex("Deploy|Ask AI|Generate SDK|Share|Developer Tools");
        await Expect(page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { NameRegex = offers })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { NameRegex = offers })).ToHaveCountAsync(0);
        await Expect(page.GetByText(offers)).ToHaveCountAsync(0);

        string[] seen;
        lock (requested) seen = [.. requested];
        Assert.Contains(seen, url => url.Contains("/openapi/v1.json"));
        var elsewhere = seen.Where(url => !url.StartsWith("data:") && new Uri(url).Authority != docs.Authority).ToList();
        Assert.True(elsewhere.Count == 0, "requests to other hosts:\n" + string.Join("\n", elsewhere));
    }
}
