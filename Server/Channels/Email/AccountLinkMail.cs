using ChatHub.Contracts;
using ChatHub.Server.Application.Mail;
using ChatHub.Server.Features.Email;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Storage;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Channels.Email;

/// <summary>Emails an agent the invitation or password-reset link an administrator made, when the server sends mail
/// (Email:Smtp:Host) and knows its own address (Email:PublicUrl: a link in an email must be absolute). Otherwise nothing
/// is sent and the administrator copies the link from the console, as without this class.</summary>
public sealed class AccountLinkMail(IMailer mailer, IOptions<EmailOptions> options, ILogger<AccountLinkMail> logger) : IAccountMail
{
    public Task SendLinkAsync(AgentRow agent, AccountLinkDto link, CancellationToken cancellationToken = default)
    {
        if (!mailer.IsConfigured || options.Value.PublicUrl is not { Length: > 0 } publicUrl) return Task.CompletedTask;
        var url = publicUrl.TrimEnd('/') + link.Url;
        var expires = DateTimeOffset.FromUnixTimeSeconds(link.ExpiresAt).ToString("yyyy-MM-dd HH:mm 'UTC'");
        var invitation = link.Purpose == AccountLinkPurposes.Invitation;
        var subject = invitation ? "You are invited to ChatHub" : "Reset your ChatHub password";
        var text = (invitation
                ? $"Hello {agent.Name},\n\nYou have been invited to answer customers in ChatHub. Set your password here:\n\n"
                : $"Hello {agent.Name},\n\nAn administrator asked for your ChatHub password to be reset. Set a new one here:\n\n")
            + $"{url}\n\nThe link works once, until {expires}.\n";
        // Only the recipient's domain is logged: the link is a secret and the address is personal.
        if (!mailer.TryEnqueue(new OutgoingMail(agent.Email, subject, text)))
            logger.LogWarning("The {Purpose} link for agent {AgentId} was not emailed (mail queue full); the administrator has it",
                link.Purpose, agent.Id);
        return Task.CompletedTask;
    }
}
