using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.Browser;

/// <summary>Base of the browser tests: browser contexts (one per person: separate storage, like separate
/// browsers), the browser's console in the test output, and screenshots under the test output folder
/// (bin/.../screenshots/). A test that ends before its own screenshot leaves one of every page it opened.</summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<(string Who, IBrowserContext Context, IPage Page)> _pages = [];
    private bool _screenshotTaken;

    public static string ScreenshotsFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    protected ITestOutputHelper Output => output;

    /// <summary>A new browser context (its own localStorage and cookies) with one page.</summary>
    protected async Task<IPage> NewPageAsync(string who, int width = 1280, int height = 800, bool phone = false)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = phone ? 2 : 1,
            IsMobile = phone,
            HasTouch = phone,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout((float)BrowserFixture.Timeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        Watch(who, page);
        _pages.Add((who, context, page));
        return page;
    }

    /// <summary>Another tab in the same context as <paramref name="page"/> (same localStorage).</summary>
    protected async Task<IPage> NewTabAsync(string who, IPage page)
    {
        var tab = await page.Context.NewPageAsync();
        Watch(who, tab);
        _pages.Add((who, page.Context, tab));
        return tab;
    }

    private void Watch(string who, IPage page)
    {
        page.Console += (_, message) => Log($"[{who} console.{message.Type}] {message.Text}");
        page.PageError += (_, error) => Log($"[{who} page error] {error}");
    }

    protected void Log(string line)
    {
        try { output.WriteLine(line); }
        catch (InvalidOperationException) { /* the test is over */ }
    }

    /// <summary>Saves screenshots/{name}.png under the test output and returns its path.</summary>
    protected async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotsFolder);
        var path = Path.Combine(ScreenshotsFolder, name + ".png");
        // Finite animations (a panel rising) are finished first, so screenshots show the settled page.
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Animations = ScreenshotAnimations.Disabled });
        _screenshotTaken = true;
        Log($"screenshot: {path}");
        return path;
    }

    /// <summary>The README's screenshots (docs/screenshots/) come from the tests: copied there when missing, or
    /// every run with CHATHUB_UPDATE_SCREENSHOTS=1 (so ordinary runs leave the committed images alone).</summary>
    protected void PublishToDocs(string screenshotPath, string fileName)
    {
        var repo = RepositoryRoot();
        if (repo is null) return;
        var target = Path.Combine(repo, "docs", "screenshots", fileName);
        if (File.Exists(target) && Environment.GetEnvironmentVariable("CHATHUB_UPDATE_SCREENSHOTS") != "1") return;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(screenshotPath, target, overwrite: true);
        Log($"README screenshot: {target}");
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ChatHub.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>Lowercase hex HMAC-SHA256 of the identifier with the inbox's HMAC token, as a host site's
    /// backend computes it (written here independently of the server's code).</summary>
    protected static string IdentifierHash(string hmacToken, string identifier) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(hmacToken), Encoding.UTF8.GetBytes(identifier))).ToLowerInvariant();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (!_screenshotTaken)
        {
            foreach (var (who, _, page) in _pages)
            {
                try { await ScreenshotAsync(page, $"unfinished-{GetType().Name}-{who}-{Guid.NewGuid():N}"); }
                catch (PlaywrightException) { /* the page is gone */ }
            }
        }
        foreach (var context in _pages.Select(p => p.Context).Distinct())
        {
            try { await context.CloseAsync(); }
            catch (PlaywrightException) { /* already closed */ }
        }
    }
}
