using Avalonia;

namespace ChatHub.Samples.Desk;

/// <summary>Starts the desk on the desktop platform of the machine (Windows, macOS, Linux/X11).</summary>
public static class Program
{
    [STAThread]
    public static void Main(string[] args) =>
        BuildAvaloniaApp().StartWithClassicDesktopLifetime(args);

    /// <summary>The app as the desktop starts it; the tests build the same <see cref="App"/> on the headless platform.</summary>
    public static AppBuilder BuildAvaloniaApp() =>
        AppBuilder.Configure<App>()
            .UsePlatformDetect()
            .WithInterFont()
            .LogToTrace();
}
