using ChatHub.Server.Application.Mail;
using ChatHub.Server.Features.Email;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Channels.Email;

/// <summary>The node's <see cref="IMailer"/>: a bounded in-memory queue (Email:QueueCapacity) that one background worker
/// sends through <see cref="IMailSender"/>, one mail at a time; a failed send is tried again after 5 s, 30 s and 2 min,
/// then dropped with a warning (the queue never blocks a request, and a dead SMTP server costs memory only up to the
/// bound).</summary>
public sealed class MailQueue(IMailSender sender, IOptions<EmailOptions> options, ILogger<MailQueue> logger) : BackgroundService, IMailer
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    private readonly Channel<OutgoingMail> _queue = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public bool IsConfigured => sender.IsConfigured;

    public bool TryEnqueue(OutgoingMail mail)
    {
        if (!sender.IsConfigured) return false;
        // DropWrite: TryWrite answers true even when it drops, so the count decides.
        if (_queue.Reader.Count >= options.Value.QueueCapacity) return false;
        return _queue.Writer.TryWrite(mail);
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await foreach (var mail in _queue.Reader.ReadAllAsync(stopping))
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await sender.SendAsync(mail, stopping);
                    break;
                }
                catch (MailNotSentException ex) when (attempt < RetryDelays.Length)
                {
                    logger.LogWarning("Mail to a recipient at {Domain} not sent ({Reason}); retrying in {Delay}",
                        SmtpMailSender.DomainOf(mail.To), ex.Message, RetryDelays[attempt]);
                    await Task.Delay(RetryDelays[attempt], stopping);
                }
                catch (MailNotSentException ex)
                {
                    logger.LogError("Mail to a recipient at {Domain} dropped after {Attempts} attempts ({Reason})",
                        SmtpMailSender.DomainOf(mail.To), attempt + 1, ex.Message);
                    break;
                }
            }
        }
    }
}
