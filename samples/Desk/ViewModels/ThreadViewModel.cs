using System.Collections.ObjectModel;
using ChatHub.Client;
using ChatHub.Contracts;
using CommunityToolkit.Mvvm.ComponentModel;
using CommunityToolkit.Mvvm.Input;

namespace ChatHub.Samples.Desk.ViewModels;

/// <summary>The open conversation: its messages oldest first (the newest page on opening, older pages on demand),
/// the composer (a reply, or a private note), assign to me and resolve, and typing both ways.</summary>
public sealed partial class ThreadViewModel : ObservableObject
{
    private readonly AgentSession _session;
    private readonly HashSet<long> _shown = [];
    private bool _typingSent;

    public ThreadViewModel(AgentSession session, ConversationItemViewModel conversation, int pageSize)
    {
        _session = session;
        Conversation = conversation;
        PageSize = pageSize;
    }

    public ConversationItemViewModel Conversation { get; }

    public int PageSize { get; }

    /// <summary>Oldest first; a message is shown once, whether it came from an answer, a send or a push.</summary>
    public ObservableCollection<MessageItemViewModel> Messages { get; } = [];

    /// <summary>Older messages exist than the first one shown.</summary>
    [ObservableProperty]
    [NotifyCanExecuteChangedFor(nameof(LoadOlderCommand))]
    public partial bool HasMore { get; private set; }

    [ObservableProperty]
    [NotifyCanExecuteChangedFor(nameof(SendCommand))]
    public partial string Draft { get; set; } = "";

    /// <summary>Send the draft as a private note (agents only) instead of a reply to the customer.</summary>
    [ObservableProperty]
    [NotifyPropertyChangedFor(nameof(SendLabel))]
    public partial bool IsPrivateNote { get; set; }

    public string SendLabel => IsPrivateNote ? "Add note" : "Send";

    /// <summary>"Ann is typing…" while the customer types; null otherwise.</summary>
    [ObservableProperty]
    public partial string? TypingText { get; private set; }

    /// <summary>Why the last action failed; null when it did not.</summary>
    [ObservableProperty]
    public partial string? Error { get; private set; }

    /// <summary>Loads the newest page.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        var page = await _session.GetHistoryAsync(Conversation.Id, null, PageSize, cancellationToken);
        Conversation.Apply(page.Conversation);
        foreach (var message in page.Messages) Append(message);
        HasMore = page.HasMore;
    }

    private bool CanLoadOlder() => HasMore;

    /// <summary>The page before the first message shown.</summary>
    [RelayCommand(CanExecute = nameof(CanLoadOlder))]
    private async Task LoadOlderAsync(CancellationToken cancellationToken)
    {
        var before = Messages.Count > 0 ? Messages[0].Id : (long?)null;
        var page = await _session.GetHistoryAsync(Conversation.Id, before, PageSize, cancellationToken);
        var index = 0;
        foreach (var message in page.Messages.Where(m => _shown.Add(m.Id)))
            Messages.Insert(index++, new MessageItemViewModel(message));
        HasMore = page.HasMore;
    }

    private bool CanSend() => !string.IsNullOrWhiteSpace(Draft);

    /// <summary>Sends the draft; the session retries it across reconnects (same echoId), so it is stored once.</summary>
    [RelayCommand(CanExecute = nameof(CanSend))]
    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var content = Draft.Trim();
        var isPrivate = IsPrivateNote;
        Draft = "";
        Error = null;
        try
        {
            Append(await _session.SendMessageAsync(Conversation.Id, content, isPrivate, cancellationToken));
            IsPrivateNote = false;
        }
        catch (ChatHubException ex)
        {
            Draft = content;
            Error = $"Not sent: {ex.Message}";
        }
    }

    [RelayCommand]
    private Task AssignToMeAsync(CancellationToken cancellationToken) =>
        ActAsync(() => _session.AssignAsync(Conversation.Id, _session.Profile.Id, cancellationToken));

    [RelayCommand]
    private Task ResolveAsync(CancellationToken cancellationToken) =>
        ActAsync(() => _session.SetStatusAsync(Conversation.Id, ConversationStatuses.Resolved, cancellationToken));

    [RelayCommand]
    private Task ReopenAsync(CancellationToken cancellationToken) =>
        ActAsync(() => _session.SetStatusAsync(Conversation.Id, ConversationStatuses.Open, cancellationToken));

    private async Task ActAsync(Func<Task<ConversationDto>> action)
    {
        Error = null;
        try
        {
            Conversation.Apply(await action());
        }
        catch (ChatHubException ex)
        {
            Error = ex.Message;
        }
    }

    /// <summary>A message of this conversation from a push (or the answer to a send); shown once.</summary>
    public void Append(MessageDto message)
    {
        if (!_shown.Add(message.Id)) return;
        // Pushes come in seq order, so a new message goes last, after anything loaded.
        Messages.Add(new MessageItemViewModel(message));
        if (message.MessageType == MessageTypes.Incoming) TypingText = null;
    }

    /// <summary>The customer's typing indicator (not sequenced, not caught up: the latest one wins).</summary>
    public void ShowTyping(TypingEvent typing) =>
        TypingText = typing.IsTyping ? $"{typing.Sender.Name ?? "The customer"} is typing…" : null;

    // The agent's typing indicator: on when the draft gets text, off when it is emptied or sent. One call per change
    // of state, not per key.
    partial void OnDraftChanged(string value)
    {
        var typing = !string.IsNullOrWhiteSpace(value);
        if (typing == _typingSent) return;
        _typingSent = typing;
        _ = SendTypingAsync(typing);
    }

    private async Task SendTypingAsync(bool isTyping)
    {
        try
        {
            await _session.SetTypingAsync(Conversation.Id, isTyping);
        }
        catch (ChatHubException)
        {
            // Typing is momentary: a refused one (e.g. rate-limited) is not worth a message.
        }
    }

    /// <summary>Leaving the conversation: the agent no longer types in it.</summary>
    public void Close()
    {
        if (!_typingSent) return;
        _typingSent = false;
        _ = SendTypingAsync(false);
    }
}
