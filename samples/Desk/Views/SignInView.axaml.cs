using Avalonia.Controls;

namespace ChatHub.Samples.Desk.Views;

/// <summary>The sign-in form (<see cref="ViewModels.SignInViewModel"/>).</summary>
public partial class SignInView : UserControl
{
    public SignInView() => InitializeComponent();
}
