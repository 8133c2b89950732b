namespace ChatHub.Server.Application.Mail;

/// <summary>One email to one recipient: a plain-text body, and an HTML one when given.</summary>
public sealed record OutgoingMail(string To, string Subject, string Text, string? Html = null);

/// <summary>Sends one email now and says whether it went: it throws <see cref="MailNotSentException"/> when the SMTP
/// server could not be reached or refused it. For callers that keep their own retry state (reply emails keep theirs in
/// the store). The Email channel's SmtpMailSender sends through Email:Smtp.</summary>
public interface IMailSender
{
    /// <summary>False when Email:Smtp:Host is unset: nothing can be sent.</summary>
    bool IsConfigured { get; }
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>The general-purpose mailer for any feature that emails someone (transcripts today; invitations and password
/// resets can use it too): <see cref="TryEnqueue"/> hands a mail to this node's bounded queue and returns at once; a
/// background worker sends it, retrying a failed send a few times with growing delays (the Email channel's MailQueue). Not
/// durable: a mail still queued when the node stops is lost (a caller that must not lose one keeps it in the store, as
/// reply emails do, and uses <see cref="IMailSender"/>).</summary>
public interface IMailer
{
    /// <summary>False when Email:Smtp:Host is unset: <see cref="TryEnqueue"/> would refuse every mail.</summary>
    bool IsConfigured { get; }
    /// <summary>False when mail is not configured or the queue is full (Email:QueueCapacity): the caller tells its user to
    /// try later.</summary>
    bool TryEnqueue(OutgoingMail mail);
}

public sealed class MailNotSentException(string message, Exception? inner = null) : Exception(message, inner);
