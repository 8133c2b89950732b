using Avalonia.Controls;

namespace ChatHub.Samples.Desk.Views;

/// <summary>The one window: the sign-in page or the desk, by the view model's current page.</summary>
public partial class MainWindow : Window
{
    public MainWindow() => InitializeComponent();
}
