using Avalonia;
using Avalonia.Controls.ApplicationLifetimes;
using Avalonia.Markup.Xaml;
using ChatHub.Samples.Desk.Services;
using ChatHub.Samples.Desk.ViewModels;
using ChatHub.Samples.Desk.Views;

namespace ChatHub.Samples.Desk;

/// <summary>The Avalonia application: one main window on the sign-in page. Desktop notifications go through
/// <see cref="SystemNotifier.ForThisPlatform"/> as well as the in-app list.</summary>
public sealed class App : Application
{
    public override void Initialize() => AvaloniaXamlLoader.Load(this);

    public override void OnFrameworkInitializationCompleted()
    {
        if (ApplicationLifetime is IClassicDesktopStyleApplicationLifetime desktop)
        {
            desktop.MainWindow = new MainWindow { DataContext = new MainViewModel(SystemNotifier.ForThisPlatform()) };
        }
        base.OnFrameworkInitializationCompleted();
    }
}
