using ChatHub.Contracts;
using CommunityToolkit.Mvvm.ComponentModel;

namespace ChatHub.Samples.Desk.ViewModels;

/// <summary>One row of the conversation list: who, the latest message, unread count, status and assignee. Kept
/// current by <see cref="DeskViewModel"/> from the session's events.</summary>
public sealed partial class ConversationItemViewModel : ObservableObject
{
    private readonly long _myAgentId;
    private bool _titleIsPlaceholder;

    public ConversationItemViewModel(ConversationDto conversation, long myAgentId)
    {
        _myAgentId = myAgentId;
        Id = conversation.Id;
        var contactName = conversation.Contact?.Name
            ?? conversation.Messages.FirstOrDefault(m => m.MessageType == MessageTypes.Incoming)?.Sender?.Name;
        _titleIsPlaceholder = string.IsNullOrWhiteSpace(contactName);
        Title = _titleIsPlaceholder ? $"Conversation #{conversation.Id}" : contactName!;
        UnreadCount = conversation.UnreadCount;
        LastActivityAt = conversation.LastActivityAt;
        var latest = conversation.Messages.Where(m => !m.Private).MaxBy(m => m.Id);
        Preview = latest?.Content ?? "";
        Apply(conversation);
    }

    public long Id { get; }

    [ObservableProperty]
    public partial string Title { get; private set; }

    [ObservableProperty]
    public partial string Preview { get; private set; }

    [ObservableProperty]
    [NotifyPropertyChangedFor(nameof(HasUnread))]
    public partial int UnreadCount { get; set; }

    public bool HasUnread => UnreadCount > 0;

    [ObservableProperty]
    [NotifyPropertyChangedFor(nameof(IsResolved))]
    public partial string Status { get; private set; } = ConversationStatuses.Open;

    public bool IsResolved => Status == ConversationStatuses.Resolved;

    [ObservableProperty]
    [NotifyPropertyChangedFor(nameof(AssigneeLabel), nameof(IsMine))]
    public partial long? AssigneeId { get; private set; }

    public bool IsMine => AssigneeId == _myAgentId;

    public string AssigneeLabel => AssigneeId switch
    {
        null => "Unassigned",
        var id when id == _myAgentId => "Mine",
        var id => $"Agent #{id}",
    };

    [ObservableProperty]
    public partial long LastActivityAt { get; private set; }

    /// <summary>The customer is typing right now (from the session's Typing event).</summary>
    [ObservableProperty]
    public partial bool IsContactTyping { get; set; }

    /// <summary>Status and assignee, from an answer or a ConversationUpdated push.</summary>
    public void Apply(ConversationDto conversation)
    {
        // A row made from a message that came before the list's answer learns its contact's name from the answer.
        if (_titleIsPlaceholder && !string.IsNullOrWhiteSpace(conversation.Contact?.Name))
        {
            Title = conversation.Contact!.Name!;
            _titleIsPlaceholder = false;
        }
        Status = conversation.Status;
        AssigneeId = conversation.AssigneeId;
        if (conversation.LastActivityAt > LastActivityAt) LastActivityAt = conversation.LastActivityAt;
    }

    /// <summary>A new message of this conversation: the preview, the title when the contact's name was not known
    /// yet, and the unread count when the agent is not looking at it.</summary>
    public void Add(MessageDto message, bool isOpen)
    {
        if (message.Private) return;
        Preview = message.Content;
        if (message.CreatedAt > LastActivityAt) LastActivityAt = message.CreatedAt;
        if (message.MessageType != MessageTypes.Incoming) return;
        if (_titleIsPlaceholder && !string.IsNullOrWhiteSpace(message.Sender?.Name))
        {
            Title = message.Sender!.Name!;
            _titleIsPlaceholder = false;
        }
        if (!isOpen) UnreadCount++;
    }
}
