using ChatHub.Server.Application.Mail;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ChatHub.Server.Tests.Email;

/// <summary>The mail sender against a real SMTP server (aiosmtpd): a mail goes out with its sender, subject and both
/// bodies; a password is never sent over a connection without TLS unless Security says none; the general mailer's queue
/// delivers what it accepts.</summary>
public sealed class SmtpSenderTests
{
    [Fact]
    public async Task A_mail_is_delivered_with_its_text_and_html_and_the_queue_delivers_too()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var server = await ChatServer.StartAsync(settings: smtp.Settings);
        var sender = server.App.Services.GetRequiredService<IMailSender>();
        await sender.SendAsync(new OutgoingMail("kim@example.com", "Héllo ✓", "Plain body", "<p>HTML body</p>"), CancellationToken.None);
        var mail = await smtp.WaitForAsync(m => m.RcptTo.Contains("kim@example.com"));
        Assert.Equal(("Héllo ✓", "Plain body", "support@chathub.test"), (mail.Subject, mail.Text.Trim(), mail.MailFrom));
        Assert.Contains("<p>HTML body</p>", mail.Html);

        var mailer = server.App.Services.GetRequiredService<IMailer>();
        Assert.True(mailer.TryEnqueue(new OutgoingMail("lee@example.com", "Queued", "Via the queue")));
        Assert.Contains("Via the queue", (await smtp.WaitForAsync(m => m.RcptTo.Contains("lee@example.com"))).Text);
    }

    [Fact]
    public async Task A_password_is_not_sent_to_a_server_without_tls()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var settings = smtp.Settings;
        (settings["Email:Smtp:Security"], settings["Email:Smtp:UserName"], settings["Email:Smtp:Password"]) = ("auto", "chathub", "s3cret-Pa55");
        await using var server = await ChatServer.StartAsync(settings: settings);
        var sender = server.App.Services.GetRequiredService<IMailSender>();
        var refused = await Assert.ThrowsAsync<MailNotSentException>(() =>
            sender.SendAsync(new OutgoingMail("max@example.com", "Never", "Never"), CancellationToken.None));
        Assert.Contains("no TLS", refused.Message);
        Assert.DoesNotContain("s3cret-Pa55", refused.Message);
    }
}
