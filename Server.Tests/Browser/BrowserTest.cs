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

    /// <summary>A new browser context (its own localStorage and cookies) with one page. <paramref name="forDocs"/>:
    /// its screenshots go to docs/ (<see cref="PublishToDocs"/>), so every time it shows is one fixed time.</summary>
    protected async Task<IPage> NewPageAsync(string who, int width = 1280, int height = 800, bool phone = false, bool forDocs = false)
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
        if (forDocs) await context.AddInitScriptAsync(FixedTimeLabels);
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

    /// <summary>Every date and time the front ends format (Intl.DateTimeFormat) is shown as 21 Nov 2026, 9:41 AM, so a
    /// screenshot for docs/ differs from the committed one only when the UI does, not with the hour of the run. Only
    /// labels change: the front ends still compute with the real times ("Today", "now", the order of messages).</summary>
    private const string FixedTimeLabels = """
        (() => {
          const shown = new Date(2026, 10, 21, 9, 41);
          const real = Object.getOwnPropertyDescriptor(Intl.DateTimeFormat.prototype, "format");
          Object.defineProperty(Intl.DateTimeFormat.prototype, "format", {
            configurable: true,
            get() { const format = real.get.call(this); return () => format(shown); },
          });
        })();
        """;

    /// <summary>The README's and docs' screenshots (docs/screenshots/) come from the tests and are written on every run
    /// that takes them, so `git status` shows when the UI changed. Pages opened with forDocs show fixed times, and an
    /// image that matches the committed one pixel for pixel (within a shade: Chromium's anti-aliasing of rounded
    /// corners varies by one level between runs) is left alone, so an unchanged UI leaves no diff.</summary>
    protected async Task PublishToDocsAsync(IPage page, string screenshotPath, string fileName)
    {
        var repo = RepositoryRoot();
        if (repo is null) return;
        var target = Path.Combine(repo, "docs", "screenshots", fileName);
        var image = await File.ReadAllBytesAsync(screenshotPath);
        if (File.Exists(target) && await LookAlikeAsync(page.Context, await File.ReadAllBytesAsync(target), image))
        {
            Log($"docs screenshot unchanged: {target}");
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await File.WriteAllBytesAsync(target, image);
        Log($"docs screenshot written: {target}");
    }

    /// <summary>Whether two PNGs have the same size and no pixel channel apart by more than a few levels, decoded by
    /// the browser itself (a canvas), which has the only PNG decoder at hand.</summary>
    private static async Task<bool> LookAlikeAsync(IBrowserContext context, byte[] committed, byte[] taken)
    {
        var page = await context.NewPageAsync();
        try
        {
            return await page.EvaluateAsync<bool>("""
                async ([first, second]) => {
                  const pixels = async (base64) => {
                    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
                    const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
                    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
                    const context = canvas.getContext("2d");
                    context.drawImage(bitmap, 0, 0);
                    return context.getImageData(0, 0, bitmap.width, bitmap.height);
                  };
                  const [a, b] = await Promise.all([pixels(first), pixels(second)]);
                  if (a.width !== b.width || a.height !== b.height) return false;
                  for (let i = 0; i < a.data.length; i++) if (Math.abs(a.data[i] - b.data[i]) > 8) return false;
                  return true;
                }
                """, new[] { Convert.ToBase64String(committed), Convert.ToBase64String(taken) });
        }
        finally
        {
            await page.CloseAsync();
        }
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
