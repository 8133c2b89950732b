using ChatHub.Server.Application.Mail;
using ChatHub.Server.Features.Email;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ChatHub.Server.Channels.Email;

/// <summary>Sends through Email:Smtp with MailKit: one connection per mail (mail is rare here; nothing to keep open), TLS as
/// Email:Smtp:Security says, authentication when a user name is set. Logs name the recipient's domain, never the address,
/// the user name or the password.</summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> options, ILogger<SmtpMailSender> logger) : IMailSender
{
    private readonly SmtpOptions _smtp = options.Value;

    public bool IsConfigured => _smtp.IsConfigured;

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        if (!IsConfigured) throw new MailNotSentException("Email:Smtp:Host is not set");
        var message = Build(mail);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_smtp.Timeout);
        using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, _smtp.Timeout.TotalMilliseconds) };
        try
        {
            await client.ConnectAsync(_smtp.Host!, _smtp.Port, Socket(_smtp.Security), timeout.Token);
            if (!string.IsNullOrEmpty(_smtp.UserName))
            {
                // auto falls back to plain text when the server offers no STARTTLS: never with the password, unless
                // Security says none on purpose.
                if (!client.IsSecure && !_smtp.Security.Equals("none", StringComparison.OrdinalIgnoreCase))
                    throw new MailNotSentException("the SMTP server offers no TLS: refusing to send the password in clear (Email:Smtp:Security none allows it)");
                await client.AuthenticateAsync(_smtp.UserName, _smtp.Password ?? "", timeout.Token);
            }
            await client.SendAsync(message, timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
            logger.LogInformation("Mail sent to a recipient at {Domain}", DomainOf(mail.To));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MailNotSentException($"the SMTP server did not answer within {_smtp.Timeout}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not MailNotSentException)
        {
            // MailKit's messages name the server's reply, never our credentials.
            throw new MailNotSentException($"{ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    private MimeMessage Build(OutgoingMail mail)
    {
        if (!MailboxAddress.TryParse(_smtp.From ?? "", out var from)) throw new MailNotSentException("Email:Smtp:From is not an address");
        if (!MailboxAddress.TryParse(mail.To, out var to)) throw new MailNotSentException("the recipient is not an address");
        var body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html };
        var message = new MimeMessage { Subject = mail.Subject, Body = body.ToMessageBody() };
        message.From.Add(from);
        message.To.Add(to);
        return message;
    }

    public static SecureSocketOptions Socket(string security) => security.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "tls" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    public static string DomainOf(string address) => address.LastIndexOf('@') is var at and >= 0 ? address[(at + 1)..] : "?";
}
