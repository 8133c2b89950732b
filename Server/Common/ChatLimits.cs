using System.ComponentModel.DataAnnotations;
using ChatHub.Server.Hosting;

namespace ChatHub.Server.Common;

/// <summary>The "Limits" configuration section (API.md "Limits"). Sizes, windows and page sizes must be at least 1;
/// a rate limit or a guard may be 0 (off); nothing may be negative. Checked when the server starts
/// (<see cref="Validate"/>), so a wrong value stops the start instead of surprising a customer later.</summary>
[SettingsSection("Limits")]
public sealed class ChatLimits
{
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxContentLength { get; set; } = 16_384;
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxHubMessageBytes { get; set; } = 64 * 1024;
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;
    /// <summary>One attached file (REST multipart or upload); over it the request is refused with 413, nothing stored.
    /// The endpoints that take files accept bodies of up to 5 such files; every other one keeps MaxRequestBodyBytes.</summary>
    [Range(1, 1L << 30, ErrorMessage = "Limits:{0} must be between 1 and 1073741824 (1 GiB)")]
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;
    /// <summary>How long an upload that was never sent with a message is kept: after it, its URL is 404, its id can no
    /// longer be sent, and a background sweep deletes it with its bytes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00", ErrorMessage = "Limits:{0} must be between 1 second and 365 days")]
    public TimeSpan PendingUploadTtl { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Bytes one contact may store per hour (uploads and files sent with messages, over the past hour as the
    /// store counts them); over it the upload is 429, nothing stored. 0 turns it off.</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public long UploadBytesPerContactPerHour { get; set; } = 200L * 1024 * 1024;
    /// <summary>Bytes the contacts of one inbox may store together per hour (the inbox's share of the disk, whoever
    /// creates contacts); over it the upload is 429, nothing stored. 0 turns it off.</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public long UploadBytesPerInboxPerHour { get; set; } = 2L * 1024 * 1024 * 1024;
    /// <summary>Turns every rate limit off at once (load tests, benchmarks).</summary>
    public bool RateLimitsEnabled { get; set; } = true;
    // Per sender (contact or agent), each its own budget; 0 turns that one off. Generous for the widget and the
    // console: typing every 2.5 s, a seen marker per message.
    /// <summary>Messages a sender may send per window.</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int MessagesPerWindow { get; set; } = 20;
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int WindowSeconds { get; set; } = 10;
    /// <summary>Files a sender may upload per minute (uploads and files attached to a message).</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int UploadsPerMinute { get; set; } = 30;
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int SeenMarkersPerMinute { get; set; } = 120;
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int TypingPerMinute { get; set; } = 60;
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int ContactUpdatesPerMinute { get; set; } = 30;
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int SubmissionsPerMinute { get; set; } = 30;
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int ConversationStartsPerMinute { get; set; } = 10;
    /// <summary>Status, assignment, availability, label and priority changes.</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int ConversationChangesPerMinute { get; set; } = 120;
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int AdminWritesPerMinute { get; set; } = 60;
    /// <summary>POST /contacts per client address (many customers may share an office's address).</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int ContactCreationsPerMinutePerAddress { get; set; } = 120;
    /// <summary>Commands one /cable socket may send per minute (the official client re-sends an unconfirmed subscribe
    /// every 0.5 s; the widget updates presence every 20 s).</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int CableCommandsPerMinute { get; set; } = 120;
    // Visitors on the site (issue 27): the widget's page views and heartbeats.
    /// <summary>Page views and heartbeats one visitor (its widget's key) may report per minute.</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int VisitorReportsPerMinute { get; set; } = 60;
    /// <summary>New visitors (keys not seen in their visit) per client address per minute.</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int NewVisitorsPerMinutePerAddress { get; set; } = 120;
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxPageSize { get; set; } = 100;
    /// <summary>Hub calls one connection may have running at once.</summary>
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxParallelInvocationsPerConnection { get; set; } = 16;
    /// <summary>Bytes that may wait to be sent to one hub connection (its client not reading them) when another message
    /// for it is written; over it the connection is closed (Channels/Hub/SlowReaderGuard). 0 turns the guard off.</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public long MaxUnsentBytesPerConnection { get; set; } = 1024 * 1024;
    /// <summary>TCP connections open at once, WebSockets included for their whole life (each holds a file descriptor);
    /// past it Kestrel closes a new connection at once. 0 derives it from the process's open-files limit minus a
    /// reserve; above that it stops the start (<see cref="ConnectionLimit"/>).</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public long MaxConnections { get; set; }
    /// <summary>Realtime connections open at once on this node: hub connections (any transport) and /cable sockets
    /// together; past it a new one is refused with 503 (<see cref="Application.Connections.ConnectionBudget"/>). 0 derives it as 90 %
    /// of MaxConnections, so plain requests keep room; above MaxConnections it stops the start.</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public long MaxRealtimeConnections { get; set; }
    /// <summary>The share (percent) of MaxRealtimeConnections that connections anyone can open may take: /cable sockets
    /// not subscribed yet and contacts' connections (a contact is free to create). The rest is kept for agents.</summary>
    [Range(1, 100, ErrorMessage = "Limits:{0} must be between 1 and 100")]
    public int PublicConnectionsPercent { get; set; } = 90;
    /// <summary>/cable sockets without a confirmed subscription yet, per client address (IPv6: per /64); 0 = no cap.</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int MaxUnsubscribedSocketsPerAddress { get; set; } = 20;
    /// <summary>Contacts' realtime connections (hub, and /cable sockets subscribed with a contact's token) per client
    /// address (IPv6: per /64); agents are never held by it. 0 = no cap.</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int MaxContactConnectionsPerAddress { get; set; } = 50;
    /// <summary>Seconds a /cable socket has to get a subscription confirmed; then it is closed. 0 = no deadline.</summary>
    [Range(0, long.MaxValue, ErrorMessage = NotNegative)]
    public int CableSubscribeTimeoutSeconds { get; set; } = 10;
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int DefaultPageSize { get; set; } = 20;
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int ConversationsPageSize { get; set; } = 25;
    /// <summary>Serialized size of custom_attributes, content_attributes or submitted_values.</summary>
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxAttributesBytes { get; set; } = 8 * 1024;
    /// <summary>Characters of an account label's title; a longer one is refused (validation).</summary>
    [Range(1, 1000, ErrorMessage = "Limits:{0} must be between 1 and 1000")]
    public int MaxLabelTitleLength { get; set; } = 100;
    /// <summary>Account labels (Chatwoot's labels); creating one more is refused (validation).</summary>
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxLabelsPerAccount { get; set; } = 1000;
    /// <summary>Labels set on one conversation; a longer list is refused (validation).</summary>
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxLabelsPerConversation { get; set; } = 50;
    /// <summary>Teams (Chatwoot's teams); creating one more is refused (validation).</summary>
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxTeams { get; set; } = 100;
    /// <summary>Agents in one team; a change that would make more is refused (validation).</summary>
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxTeamMembers { get; set; } = 1000;
    /// <summary>Canned responses (Chatwoot's canned_responses); creating one more is refused (validation).</summary>
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxCannedResponses { get; set; } = 1000;
    /// <summary>Notes on one contact (Chatwoot's contact notes); writing one more is refused (validation).</summary>
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxNotesPerContact { get; set; } = 1000;
    /// <summary>Campaigns (Chatwoot's campaigns, issue 27); creating one more is refused (validation).</summary>
    [Range(1, long.MaxValue, ErrorMessage = AtLeastOne)]
    public int MaxCampaigns { get; set; } = 100;
    /// <summary>How often each node looks for snoozed conversations whose snooze ended, to reopen them: a snooze ends
    /// within about this after its snoozed_until.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Limits:{0} must be between 1 second and 1 hour")]
    public TimeSpan SnoozeSweepInterval { get; set; } = TimeSpan.FromSeconds(30);
    // Sneak peek (issue 27): what a customer is typing, pushed to the agents before it is sent.
    /// <summary>Characters of one sneak peek; a longer one is refused (validation). The widget sends at most this many.</summary>
    [Range(1, 16_384, ErrorMessage = "Limits:{0} must be between 1 and 16384")]
    public int MaxSneakPeekLength { get; set; } = 1000;
    /// <summary>Sneak peeks one connection may send per second (a burst of as many, then one every 1/n s); past it they
    /// are dropped without an error (the widget sends one every 300 ms at most). 0 turns the limit off.</summary>
    [Range(0, 1000, ErrorMessage = "Limits:{0} must be between 0 (off) and 1000")]
    public int SneakPeeksPerSecond { get; set; } = 5;

    private const string AtLeastOne = "Limits:{0} must be at least 1";
    private const string NotNegative = "Limits:{0} must not be negative (0 turns it off)";

    /// <summary>Every out-of-range limit in one line, or nothing.</summary>
    public void Validate()
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), problems, validateAllProperties: true);
        var messages = problems.Select(p => p.ErrorMessage).ToList();
        if (DefaultPageSize > MaxPageSize) messages.Add($"Limits:DefaultPageSize ({DefaultPageSize}) must not exceed Limits:MaxPageSize ({MaxPageSize})");
        // A budget smaller than one file would refuse the largest files for ever, as if they were too many.
        foreach (var (name, budget) in new[] { (nameof(UploadBytesPerContactPerHour), UploadBytesPerContactPerHour), (nameof(UploadBytesPerInboxPerHour), UploadBytesPerInboxPerHour) })
            if (budget is > 0 && budget < MaxAttachmentBytes)
                messages.Add($"Limits:{name} ({budget}) must be 0 (off) or at least Limits:MaxAttachmentBytes ({MaxAttachmentBytes})");
        if (messages.Count > 0) throw new InvalidSettingsException(string.Join("; ", messages));
    }
}
