using System.Collections.ObjectModel;
using ChatHub.Client;
using ChatHub.Contracts;
using ChatHub.Samples.Desk.Services;
using CommunityToolkit.Mvvm.ComponentModel;
using CommunityToolkit.Mvvm.Input;

namespace ChatHub.Samples.Desk.ViewModels;

/// <summary>The signed-in desk: the conversation list (newest activity first, unread counts), the open thread, the
/// connection banner and notifications, all kept current from one <see cref="AgentSession"/>. The session's events
/// arrive on its own thread, one at a time and in order; each handler hops to the UI thread (<see cref="UiThread"/>)
/// before touching anything bound to the view.</summary>
public sealed partial class DeskViewModel : ObservableObject, IAsyncDisposable
{
    private readonly ISystemNotifier? _notifier;
    private bool _started;
    private Task _opening = Task.CompletedTask;
    private readonly HashSet<long> _announceOnFirstMessage = [];

    /// <param name="session">The agent's session, not started yet.</param>
    /// <param name="notifier">Desktop notifications besides the in-app list; null for none.</param>
    /// <param name="signedIn">What the session's token came from: sign-out ends it on the server (a password
    /// session); null when the app manages the token itself.</param>
    public DeskViewModel(AgentSession session, ISystemNotifier? notifier = null, SignedIn? signedIn = null)
    {
        Session = session;
        _notifier = notifier;
        SignedInWith = signedIn;
        // Subscribed before the session starts, so nothing is missed between its first answer and the events.
        session.ConversationCreated += c => UiThread.RunAsync(() => OnConversationCreated(c));
        session.ConversationUpdated += c => UiThread.RunAsync(() => Find(c.Id)?.Apply(c));
        session.MessageCreated += m => UiThread.RunAsync(() => OnMessageCreated(m));
        session.Typing += t => UiThread.RunAsync(() => OnTyping(t));
        session.Reconnecting += _ => UiThread.RunAsync(() => ShowBanner(BannerKinds.Reconnecting, "Connection lost: reconnecting…"));
        // Reconnected is raised after the catch-up: everything missed has been applied by now.
        session.Reconnected += _ => UiThread.RunAsync(() => ShowBanner(BannerKinds.Resynced, "Reconnected: caught up with everything missed."));
        session.Closed += error => UiThread.RunAsync(() => OnClosed(error));
    }

    public AgentSession Session { get; }

    /// <summary>What the desk signed in with (null when the app gave it a session of its own).</summary>
    public SignedIn? SignedInWith { get; }

    /// <summary>How many messages a page of history holds (the newest page on opening, then each older page).</summary>
    public int PageSize { get; init; } = 20;

    /// <summary>Raised after <see cref="SignOutCommand"/> stopped the session and ended it on the server; its argument
    /// says what went wrong telling the server (null when nothing did).</summary>
    public event Func<string?, Task>? SignedOut;

    [ObservableProperty]
    public partial string AgentName { get; private set; } = "";

    /// <summary>Newest activity first.</summary>
    public ObservableCollection<ConversationItemViewModel> Conversations { get; } = [];

    public ObservableCollection<NotificationItem> Notifications { get; } = [];

    [ObservableProperty]
    public partial ConversationItemViewModel? SelectedConversation { get; set; }

    [ObservableProperty]
    public partial ThreadViewModel? Thread { get; private set; }

    /// <summary>The connection banner: null when connected and nothing to say; else a <see cref="BannerKinds"/> value.</summary>
    [ObservableProperty]
    [NotifyPropertyChangedFor(nameof(IsBannerVisible), nameof(IsReconnecting), nameof(IsResynced), nameof(IsDisconnected))]
    public partial string? BannerKind { get; private set; }

    [ObservableProperty]
    public partial string BannerText { get; private set; } = "";

    public bool IsBannerVisible => BannerKind is not null;
    public bool IsReconnecting => BannerKind == BannerKinds.Reconnecting;
    public bool IsResynced => BannerKind == BannerKinds.Resynced;
    public bool IsDisconnected => BannerKind == BannerKinds.Disconnected;

    /// <summary>Connects and loads the conversations (open ones, as the session lists them by default).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Session.StartAsync(cancellationToken);
        await UiThread.RunAsync(() =>
        {
            AgentName = Session.Profile.Name;
            foreach (var conversation in Session.Conversations) Upsert(conversation);
            _started = true;
        });
    }

    partial void OnSelectedConversationChanged(ConversationItemViewModel? value) => _opening = OpenAsync(value);

    private async Task OpenAsync(ConversationItemViewModel? conversation)
    {
        Thread?.Close();
        if (conversation is null)
        {
            Thread = null;
            return;
        }
        var thread = new ThreadViewModel(Session, conversation, PageSize);
        Thread = thread;
        conversation.UnreadCount = 0;
        try
        {
            await thread.LoadAsync();
            await Session.MarkSeenAsync(conversation.Id);
        }
        catch (ChatHubException ex)
        {
            ShowBanner(BannerKinds.Disconnected, $"Could not open the conversation: {ex.Message}");
        }
    }

    /// <summary>Opens a conversation (as clicking it in the list does) and waits until its newest page is shown.</summary>
    public Task OpenConversationAsync(long conversationId)
    {
        SelectedConversation = Find(conversationId) ?? throw new InvalidOperationException($"conversation {conversationId} is not in the list");
        return _opening;
    }

    [RelayCommand]
    private void DismissNotification(NotificationItem notification) => Notifications.Remove(notification);

    [RelayCommand]
    private void OpenNotification(NotificationItem notification)
    {
        Notifications.Remove(notification);
        SelectedConversation = Find(notification.ConversationId);
    }

    /// <summary>After the session gave up (or was refused): start it again; it carries on where it was.</summary>
    [RelayCommand]
    private async Task ReconnectAsync()
    {
        ShowBanner(BannerKinds.Reconnecting, "Reconnecting…");
        try
        {
            await Session.StartAsync();
            foreach (var conversation in Session.Conversations) Upsert(conversation);
            ShowBanner(BannerKinds.Resynced, "Reconnected: caught up with everything missed.");
        }
        catch (Exception ex) when (ex is ChatHubException or HttpRequestException)
        {
            ShowBanner(BannerKinds.Disconnected, DisconnectedBecause(ex));
        }
    }

    [RelayCommand]
    private void DismissBanner() => BannerKind = null;

    [RelayCommand]
    private async Task SignOutAsync()
    {
        Thread?.Close();
        // Stopped first, so that the server closing the session's connection is not shown as an error.
        await Session.DisposeAsync();
        string? problem = null;
        try
        {
            if (SignedInWith is { } signedIn) await signedIn.SignOutAsync();
        }
        catch (Exception ex) when (ex is ChatHubException or HttpRequestException)
        {
            problem = $"Signed out here, but the server could not be told ({ex.Message}): the session ends on its own once unused.";
        }
        if (SignedOut is { } signedOut) await signedOut(problem);
    }

    // A conversation that started after sign-in is announced with its first message from the customer (a new
    // conversation's push carries neither the contact nor a message yet).
    private void OnConversationCreated(ConversationDto conversation)
    {
        var isNew = Find(conversation.Id) is null;
        Upsert(conversation);
        if (!isNew || !_started) return;
        var first = conversation.Messages.Where(m => m.MessageType == MessageTypes.Incoming).MinBy(m => m.Id);
        if (first is null) _announceOnFirstMessage.Add(conversation.Id);
        else Announce(first);
    }

    private void Announce(MessageDto first)
    {
        var notification = new NotificationItem($"New conversation from {first.Sender?.Name ?? "a customer"}", first.Content, first.ConversationId);
        Notifications.Insert(0, notification);
        _notifier?.Show(notification.Title, notification.Body);
    }

    private void OnMessageCreated(MessageDto message)
    {
        // A conversation the list did not have (e.g. of another status): it joins the list.
        var conversation = Find(message.ConversationId)
            ?? Upsert(new ConversationDto { Id = message.ConversationId, InboxId = message.InboxId, LastActivityAt = message.CreatedAt });
        var isOpen = Thread?.Conversation == conversation;
        conversation.Add(message, isOpen);
        if (message.MessageType == MessageTypes.Incoming && _announceOnFirstMessage.Remove(message.ConversationId)) Announce(message);
        if (isOpen) Thread!.Append(message);
        // The open one stays where it is: moving the selected row would make the list drop its selection.
        if (!isOpen) MoveToTop(conversation);
        if (isOpen && message.MessageType == MessageTypes.Incoming) _ = MarkSeenAsync(conversation.Id);
    }

    private async Task MarkSeenAsync(long conversationId)
    {
        try
        {
            await Session.MarkSeenAsync(conversationId);
        }
        catch (ChatHubException)
        {
            // Seen markers are a courtesy: the next open marks it again.
        }
    }

    private void OnTyping(TypingEvent typing)
    {
        if (typing.Sender.Type != SenderTypes.Contact) return;
        if (Find(typing.ConversationId) is { } conversation) conversation.IsContactTyping = typing.IsTyping;
        if (Thread?.Conversation.Id == typing.ConversationId) Thread.ShowTyping(typing);
    }

    private void OnClosed(Exception? error)
    {
        if (error is null) return; // null only when the desk stopped the session itself (sign-out)
        ShowBanner(BannerKinds.Disconnected, DisconnectedBecause(error));
    }

    private static string DisconnectedBecause(Exception error) => error switch
    {
        ChatHubUnauthorizedException => "Disconnected: the server no longer accepts this sign-in (signed out elsewhere, or the password or token was reset). Sign out and in again.",
        ChatHubConnectionClosedException => "Disconnected by the server. Retry to connect again.",
        _ => "Disconnected: the server could not be reached. Retry when it is back.",
    };

    private void ShowBanner(string kind, string text)
    {
        BannerText = text;
        BannerKind = kind;
    }

    private ConversationItemViewModel? Find(long conversationId) => Conversations.FirstOrDefault(c => c.Id == conversationId);

    private ConversationItemViewModel Upsert(ConversationDto conversation)
    {
        if (Find(conversation.Id) is { } known)
        {
            known.Apply(conversation);
            return known;
        }
        var item = new ConversationItemViewModel(conversation, Session.Profile.Id);
        var index = 0;
        while (index < Conversations.Count && Conversations[index].LastActivityAt >= item.LastActivityAt) index++;
        Conversations.Insert(index, item);
        return item;
    }

    private void MoveToTop(ConversationItemViewModel conversation)
    {
        var index = Conversations.IndexOf(conversation);
        if (index > 0) Conversations.Move(index, 0);
    }

    public async ValueTask DisposeAsync() => await Session.DisposeAsync();
}

/// <summary>What the connection banner says.</summary>
public static class BannerKinds
{
    /// <summary>The connection was lost; the session is reconnecting (sends wait and are retried).</summary>
    public const string Reconnecting = "reconnecting";
    /// <summary>Back, and caught up: what happened meanwhile has been applied.</summary>
    public const string Resynced = "resynced";
    /// <summary>The session gave up (server gone too long, or the token refused).</summary>
    public const string Disconnected = "disconnected";
}
