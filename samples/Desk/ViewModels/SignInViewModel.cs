using ChatHub.Client;
using ChatHub.Samples.Desk.Services;
using CommunityToolkit.Mvvm.ComponentModel;
using CommunityToolkit.Mvvm.Input;

namespace ChatHub.Samples.Desk.ViewModels;

/// <summary>The sign-in form: the server's URL and the agent's access token (email and password once the server has
/// them: <see cref="ISignInMethod"/> is the seam). Signing in starts an <see cref="AgentSession"/> through a
/// <see cref="DeskViewModel"/> and hands the desk over.</summary>
public sealed partial class SignInViewModel(ISystemNotifier? notifier, Func<DeskViewModel, Task> signedIn) : ObservableObject
{
    [ObservableProperty]
    [NotifyCanExecuteChangedFor(nameof(SignInCommand))]
    public partial string ServerUrl { get; set; } = "http://localhost:5000";

    [ObservableProperty]
    [NotifyCanExecuteChangedFor(nameof(SignInCommand))]
    public partial string AccessToken { get; set; } = "";

    /// <summary>Why the last attempt failed, for the form; null when it did not.</summary>
    [ObservableProperty]
    public partial string? Error { get; set; }

    private bool CanSignIn() => !string.IsNullOrWhiteSpace(ServerUrl) && !string.IsNullOrWhiteSpace(AccessToken);

    [RelayCommand(CanExecute = nameof(CanSignIn))]
    private async Task SignInAsync(CancellationToken cancellationToken)
    {
        Error = null;
        if (!Uri.TryCreate(ServerUrl.Trim(), UriKind.Absolute, out var server) || (server.Scheme != "http" && server.Scheme != "https"))
        {
            Error = "The server URL is an http:// or https:// address, e.g. https://chat.example.com.";
            return;
        }
        DeskViewModel? desk = null;
        try
        {
            var token = await new AccessTokenSignIn(AccessToken).GetAccessTokenAsync(server, cancellationToken);
            desk = new DeskViewModel(new AgentSession(new AgentSessionOptions { ServerUrl = server, AccessToken = token }), notifier);
            await desk.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (desk is not null) await desk.DisposeAsync();
            Error = ex switch
            {
                ChatHubUnauthorizedException => "The server refused this access token.",
                HttpRequestException http => $"The server could not be reached ({http.Message}).",
                _ => ex.Message,
            };
            return;
        }
        AccessToken = "";
        await signedIn(desk);
    }
}
