using ChatHub.Samples.Desk.Services;
using CommunityToolkit.Mvvm.ComponentModel;

namespace ChatHub.Samples.Desk.ViewModels;

/// <summary>The window's page: the sign-in form until an agent session is up, then the desk; signing out goes back.</summary>
public sealed partial class MainViewModel : ObservableObject
{
    private readonly ISystemNotifier? _notifier;

    public MainViewModel(ISystemNotifier? notifier = null)
    {
        _notifier = notifier;
        SignIn = new SignInViewModel(notifier, ShowDeskAsync);
        CurrentPage = SignIn;
    }

    public SignInViewModel SignIn { get; }

    /// <summary>The <see cref="SignInViewModel"/> or the <see cref="DeskViewModel"/>.</summary>
    [ObservableProperty]
    public partial ObservableObject CurrentPage { get; set; }

    public DeskViewModel? Desk => CurrentPage as DeskViewModel;

    partial void OnCurrentPageChanged(ObservableObject value) => OnPropertyChanged(nameof(Desk));

    private Task ShowDeskAsync(DeskViewModel desk)
    {
        desk.SignedOut += problem =>
        {
            SignIn.Error = problem;
            CurrentPage = SignIn;
            return Task.CompletedTask;
        };
        CurrentPage = desk;
        return Task.CompletedTask;
    }
}
