using ChatHub.Contracts;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Identity.Accounts;

/// <summary>The seam where account links leave the server by email: an invitation or a password reset made by an
/// administrator is handed here after it is stored. <paramref name="secretPath"/> in <see cref="SendLinkAsync"/> is the
/// link's path on this server with its secret (<c>/agent/#invite=...</c>); the mail sender makes it absolute with the
/// server's public URL. The default sends nothing (the administrator copies the link from the console); the SMTP
/// sender (issue 24's mail part) replaces it. A failure here never undoes the link.</summary>
public interface IAccountMail
{
    Task SendLinkAsync(AgentRow agent, AccountLinkDto link, CancellationToken cancellationToken = default);
}

/// <summary>No mail configured: links are only shown to the administrator.</summary>
public sealed class NoAccountMail : IAccountMail
{
    public Task SendLinkAsync(AgentRow agent, AccountLinkDto link, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
