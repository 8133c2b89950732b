using ChatHub.Contracts;

namespace ChatHub.Samples.Desk.ViewModels;

/// <summary>One message of a thread as the view shows it: the customer's on the left, the agents' on the right,
/// private notes marked, activity lines (assigned, resolved) centred.</summary>
public sealed class MessageItemViewModel(MessageDto message)
{
    public long Id => message.Id;
    public string Content => message.Content;
    public string SenderName => message.Sender?.Name ?? (IsIncoming ? "Customer" : "");
    public bool IsIncoming => message.MessageType == MessageTypes.Incoming;
    public bool IsActivity => message.MessageType == MessageTypes.Activity;
    public bool IsOutgoing => !IsIncoming && !IsActivity;
    public bool IsPrivate => message.Private;
    public string Time => DateTimeOffset.FromUnixTimeSeconds(message.CreatedAt).ToLocalTime().ToString("HH:mm");
    public string Caption => IsPrivate ? $"{SenderName} · private note · {Time}" : $"{SenderName} · {Time}";
}
