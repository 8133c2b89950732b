namespace ChatHub.Server.Chatwoot;

/// <summary>ChatHub is one Chatwoot account: every shape that names an account (REST answers, /cable payloads,
/// webhook bodies, a webhook's own record) names this one, and the application API's <c>{account_id}</c> must be it.</summary>
public static class ChatwootAccount
{
    public const long Id = 1;
    public const string Name = "ChatHub";

    /// <summary><c>Account#webhook_data</c> (app/models/account.rb).</summary>
    public sealed record Data(long Id, string Name);

    public static readonly Data WebhookData = new(Id, Name);
}
