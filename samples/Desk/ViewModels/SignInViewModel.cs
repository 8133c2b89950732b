using ChatHub.Client;
using ChatHub.Samples.Desk.Services;
using CommunityToolkit.Mvvm.ComponentModel;
using CommunityToolkit.Mvvm.Input;

namespace ChatHub.Samples.Desk.ViewModels;

/// <summary>The sign-in form: the server's URL, then the agent's email and password (the default,
/// <see cref="PasswordSignIn"/>) or its access token (<see cref="AccessTokenSignIn"/>, one click away). Signing in
/// starts an <see cref="AgentSession"/> through a <see cref="DeskViewModel"/> and hands the desk over; the secrets
/// typed are cleared from the form once the desk is up.</summary>
public sealed partial class SignInViewModel(ISystemNotifier? notifier, Func<DeskViewModel, Task> signedIn) : ObservableObject
{
    [ObservableProperty]
    [NotifyCanExecuteChangedFor(nameof(SignInCommand))]
    public partial string ServerUrl { get; set; } = "http://localhost:5000";

    /// <summary>Email and password (true, the default) or an access token (false).</summary>
    [ObservableProperty]
    [NotifyCanExecuteChangedFor(nameof(SignInCommand))]
    [NotifyPropertyChangedFor(nameof(UseAccessToken), nameof(Intro), nameof(SwitchMethodLabel))]
    public partial bool UsePassword { get; set; } = true;

    [ObservableProperty]
    [NotifyCanExecuteChangedFor(nameof(SignInCommand))]
    public partial string Email { get; set; } = "";

    [ObservableProperty]
    [NotifyCanExecuteChangedFor(nameof(SignInCommand))]
    public partial string Password { get; set; } = "";

    [ObservableProperty]
    [NotifyCanExecuteChangedFor(nameof(SignInCommand))]
    public partial string AccessToken { get; set; } = "";

    /// <summary>Why the last attempt failed (or what the last sign-out could not do), for the form; null when nothing.</summary>
    [ObservableProperty]
    public partial string? Error { get; set; }

    public bool UseAccessToken => !UsePassword;

    public string Intro => UsePassword
        ? "Sign in as an agent: your ChatHub server, your email and your password."
        : "Sign in with your access token (the profile page of the web console shows it).";

    public string SwitchMethodLabel => UsePassword ? "Use an access token instead" : "Use email and password instead";

    [RelayCommand]
    private void SwitchMethod()
    {
        UsePassword = !UsePassword;
        Error = null;
    }

    private bool CanSignIn() => !string.IsNullOrWhiteSpace(ServerUrl)
        && (UsePassword ? !string.IsNullOrWhiteSpace(Email) && !string.IsNullOrEmpty(Password) : !string.IsNullOrWhiteSpace(AccessToken));

    [RelayCommand(CanExecute = nameof(CanSignIn))]
    private async Task SignInAsync(CancellationToken cancellationToken)
    {
        Error = null;
        if (!Uri.TryCreate(ServerUrl.Trim(), UriKind.Absolute, out var server) || (server.Scheme != "http" && server.Scheme != "https"))
        {
            Error = "The server URL is an http:// or https:// address, e.g. https://chat.example.com.";
            return;
        }
        ISignInMethod method = UsePassword ? new PasswordSignIn(Email, Password) : new AccessTokenSignIn(AccessToken);
        SignedIn? credential = null;
        DeskViewModel? desk = null;
        try
        {
            credential = await method.SignInAsync(server, cancellationToken);
            desk = new DeskViewModel(new AgentSession(credential.SessionOptions), notifier, credential);
            await desk.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (desk is not null) await desk.DisposeAsync();
            // Signed in but the desk did not start: the session is not left behind on the server.
            if (credential is not null) await SignOutQuietlyAsync(credential);
            Error = ex switch
            {
                ChatHubUnauthorizedException when UsePassword && credential is null => "Wrong email or password.",
                ChatHubUnauthorizedException => "The server refused this access token.",
                ChatHubRateLimitedException limited => $"Too many sign-in attempts: try again {InHowLong(limited.RetryAfter)}.",
                HttpRequestException http => $"The server could not be reached ({http.Message}).",
                _ => ex.Message,
            };
            return;
        }
        Password = "";
        AccessToken = "";
        await signedIn(desk);
    }

    private static async Task SignOutQuietlyAsync(SignedIn credential)
    {
        try
        {
            await credential.SignOutAsync();
        }
        catch (Exception ex) when (ex is ChatHubException or HttpRequestException)
        {
            // It ends on its own when unused (the server's session lifetime).
        }
    }

    private static string InHowLong(TimeSpan? retryAfter) => retryAfter switch
    {
        null => "later",
        { TotalSeconds: < 90 } wait => $"in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s",
        { } wait => $"in {(int)Math.Ceiling(wait.TotalMinutes)} min",
    };
}
