namespace ChatHub.Server.Chatwoot;

/// <summary>An inbox in a webhook body, as <c>Inbox#webhook_data</c> (app/models/inbox.rb). The client API's inbox is
/// <see cref="ChatHub.Contracts.InboxDto"/> itself (app/views/public/api/v1/inboxes/show.json.jbuilder's fields).</summary>
public sealed record InboxWebhookData(long Id, string? Name);

public static class ChatwootInbox
{
    /// <summary>Every ChatHub inbox is a website widget: Chatwoot's <c>channel_type</c> for it.</summary>
    public const string Channel = "Channel::WebWidget";
}
