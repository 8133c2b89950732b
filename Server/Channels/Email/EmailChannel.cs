using ChatHub.Server.Application.Events;
using ChatHub.Server.Application.Mail;
using ChatHub.Server.Features.Email;
using ChatHub.Server.Hosting;
using ChatHub.Server.Identity.Accounts;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Channels.Email;

/// <summary>The email channel (docs/api.md, "Email"): SMTP through MailKit (<see cref="SmtpMailSender"/>), the general
/// mailer's bounded queue (<see cref="MailQueue"/>, the <see cref="IMailer"/> any feature may use), and the replies a
/// customer missed while away: recorded with each agent reply in its own transaction (<see cref="ReplyEmailOutbox"/>),
/// emailed by <see cref="ReplyEmailSweep"/> once they stay unseen for Email:ReplyDelaySeconds. Without Email:Smtp:Host
/// nothing is recorded or sent.</summary>
public static class EmailChannel
{
    public static IServiceCollection AddEmailChannel(this IServiceCollection services, IConfiguration config)
    {
        services.AddSettings<EmailOptions>(config);
        services.AddSettings<SmtpOptions>(config);
        services.AddOptions<EmailOptions>().ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.PublicUrl)
                    || Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https",
                "Email:PublicUrl must be an absolute http(s) address")
            .ValidateOnStart();
        services.AddOptions<SmtpOptions>().ValidateDataAnnotations()
            .Validate(o => SmtpOptions.SecurityModes.Contains(o.Security.ToLowerInvariant()),
                $"Email:Smtp:Security must be one of {string.Join(", ", SmtpOptions.SecurityModes)}")
            .Validate(o => !o.IsConfigured || MimeKit.MailboxAddress.TryParse(o.From ?? "", out _),
                "Email:Smtp:From must be an address (or Name <address>) when Email:Smtp:Host is set")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Email:Smtp:Timeout must be positive")
            .ValidateOnStart();
        services.AddSingleton<IMailSender, SmtpMailSender>();
        services.AddSingleton<MailQueue>();
        services.AddSingleton<IMailer>(sp => sp.GetRequiredService<MailQueue>());
        services.AddHostedService(sp => sp.GetRequiredService<MailQueue>());
        services.AddSingleton<TranscriptBudget>();
        services.AddSingleton<IOutbox, ReplyEmailOutbox>();
        services.AddHostedService<ReplyEmailSweep>();
        services.AddSingleton<IAccountMail, AccountLinkMail>(); // replaces AddAccounts' default, which sends nothing
        return services;
    }
}
