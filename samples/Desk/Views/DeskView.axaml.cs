using Avalonia.Controls;

namespace ChatHub.Samples.Desk.Views;

/// <summary>The desk (<see cref="ViewModels.DeskViewModel"/>): banner, notifications, conversation list, thread.</summary>
public partial class DeskView : UserControl
{
    public DeskView() => InitializeComponent();
}
