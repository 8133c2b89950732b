namespace ChatHub.Samples.Desk.ViewModels;

/// <summary>An in-app notification (a new conversation), shown at the top of the desk until dismissed.</summary>
public sealed record NotificationItem(string Title, string Body, long ConversationId);
