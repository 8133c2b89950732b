using Avalonia;
using Avalonia.Headless;
using ChatHub.Samples.Desk;
using ChatHub.Samples.Desk.Tests.Infrastructure;
using Xunit;

[assembly: AvaloniaTestApplication(typeof(TestApp))]
// One UI thread serves every test: they run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ChatHub.Samples.Desk.Tests.Infrastructure;

/// <summary>The desk's own <see cref="App"/> on Avalonia's headless platform, drawn with Skia so that a window's
/// frame can be captured (the screenshots in docs/screenshots/desk-*.png).</summary>
public static class TestApp
{
    public static AppBuilder BuildAvaloniaApp() =>
        AppBuilder.Configure<App>()
            .UseSkia()
            .UseHeadless(new AvaloniaHeadlessPlatformOptions { UseHeadlessDrawing = false })
            .WithInterFont();
}
