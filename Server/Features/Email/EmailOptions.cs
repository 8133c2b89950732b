using System.ComponentModel.DataAnnotations;
using ChatHub.Server.Hosting;

namespace ChatHub.Server.Features.Email;

/// <summary><c>Email:*</c>: what ChatHub emails customers (docs/configuration.md, "Email"): the replies they missed while
/// away, and the transcripts they ask for. Nothing is emailed unless Email:Smtp:Host is set (the Email channel's SmtpOptions).</summary>
[SettingsSection("Email")]
public sealed class EmailOptions
{
    /// <summary>Whether an agent's reply the customer has not seen after <see cref="ReplyDelaySeconds"/> is emailed to them
    /// (when they gave an email).</summary>
    public bool RepliesEnabled { get; set; } = true;
    /// <summary>How long a reply stays unseen before it is emailed (Chatwoot waits about two minutes).</summary>
    [Range(1, 86_400, ErrorMessage = "Email:{0} must be between 1 and 86400")]
    public int ReplyDelaySeconds { get; set; } = 120;
    /// <summary>The link back to the conversation in a reply email: this page when set (a page of yours that embeds the
    /// widget), else the page the customer started the conversation on (its page_url, http(s) only).</summary>
    public string? ConversationLinkBase { get; set; }
    /// <summary>This server's address as agents reach it (https://chat.example.com): invitation and password-reset links are
    /// emailed only when it is set, since a link in an email must be absolute.</summary>
    public string? PublicUrl { get; set; }
    /// <summary>How often each node looks for reply emails that are due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>How long a node holds a reply email it is sending; a node that dies or fails to send releases it by this
    /// running out, and another attempt follows (kept above Email:Smtp:Timeout).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Attempts at one reply email before it is given up (logged).</summary>
    [Range(1, 100, ErrorMessage = "Email:{0} must be between 1 and 100")]
    public int MaxAttempts { get; set; } = 5;
    /// <summary>Mails waiting in one node's queue (transcripts, and what other features queue); past it, a new one is refused.</summary>
    [Range(1, 100_000, ErrorMessage = "Email:{0} must be between 1 and 100000")]
    public int QueueCapacity { get; set; } = 200;
    /// <summary>Transcripts one contact may ask for per hour (per node); past it, 429.</summary>
    [Range(0, 1000, ErrorMessage = "Email:{0} must be between 0 and 1000")]
    public int TranscriptsPerContactPerHour { get; set; } = 3;
    /// <summary>The most messages one email carries (a transcript's first ones; a reply email's first unseen ones).</summary>
    [Range(1, 10_000, ErrorMessage = "Email:{0} must be between 1 and 10000")]
    public int MaxMessagesPerEmail { get; set; } = 500;
}
