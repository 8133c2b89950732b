using ChatHub.Contracts;

namespace ChatHub.Samples.Desk.ViewModels;

/// <summary>One message of a thread as the view shows it: the customer's on the left, the agents' on the right,
/// private notes marked, activity lines (assigned, resolved) centred.</summary>
public sealed class MessageItemViewModel(MessageDto message)
{
    /// <summary>How a message's time is shown: local hours and minutes. The screenshot tests fix it, so that the
    /// pictures in docs/ change with the UI, not with the hour of the run.</summary>
    public static Func<DateTimeOffset, string> FormatTime { get; set; } = time => time.ToLocalTime().ToString("HH:mm");

    public long Id => message.Id;
    public string Content => message.Content;
    public string SenderName => message.Sender?.Name ?? (IsIncoming ? "Customer" : "");
    public bool IsIncoming => message.MessageType == MessageTypes.Incoming;
    public bool IsActivity => message.MessageType == MessageTypes.Activity;
    public bool IsOutgoing => !IsIncoming && !IsActivity;
    public bool IsPrivate => message.Private;
    public string Time => FormatTime(DateTimeOffset.FromUnixTimeSeconds(message.CreatedAt));
    public string Caption => IsPrivate ? $"{SenderName} · private note · {Time}" : $"{SenderName} · {Time}";
}
