namespace ChatHub.Server.Common;

/// <summary>The "Limits" configuration section (API.md "Limits").</summary>
public sealed class ChatLimits
{
    public int MaxContentLength { get; set; } = 16_384;
    public int MaxHubMessageBytes { get; set; } = 64 * 1024;
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;
    /// <summary>Turns every rate limit off at once (load tests, benchmarks).</summary>
    public bool RateLimitsEnabled { get; set; } = true;
    // Per sender (contact or agent), each its own budget; 0 turns that one off. Generous for the widget and the
    // console: typing every 2.5 s, a seen marker per message.
    /// <summary>Messages a sender may send per window.</summary>
    public int MessagesPerWindow { get; set; } = 20;
    public int WindowSeconds { get; set; } = 10;
    public int SeenMarkersPerMinute { get; set; } = 120;
    public int TypingPerMinute { get; set; } = 60;
    public int ContactUpdatesPerMinute { get; set; } = 30;
    public int SubmissionsPerMinute { get; set; } = 30;
    public int ConversationStartsPerMinute { get; set; } = 10;
    /// <summary>Status, assignment and availability changes.</summary>
    public int ConversationChangesPerMinute { get; set; } = 120;
    public int AdminWritesPerMinute { get; set; } = 60;
    /// <summary>POST /contacts per client address (many customers may share an office's address).</summary>
    public int ContactCreationsPerMinutePerAddress { get; set; } = 120;
    /// <summary>Commands one /cable socket may send per minute (the official client re-sends an unconfirmed subscribe
    /// every 0.5 s; the widget updates presence every 20 s).</summary>
    public int CableCommandsPerMinute { get; set; } = 120;
    public int MaxPageSize { get; set; } = 100;
    /// <summary>Hub calls one connection may have running at once.</summary>
    public int MaxParallelInvocationsPerConnection { get; set; } = 16;
    /// <summary>Bytes that may wait to be sent to one hub connection (its client not reading them) when another message
    /// for it is written; over it the connection is closed (Realtime/SlowReaderGuard). 0 turns the guard off.</summary>
    public long MaxUnsentBytesPerConnection { get; set; } = 1024 * 1024;
    /// <summary>Concurrent connections Kestrel accepts; 0 derives it from the process's open-files limit (minus a reserve).</summary>
    public long MaxConnections { get; set; }
    public int DefaultPageSize { get; set; } = 20;
    public int ConversationsPageSize { get; set; } = 25;
    /// <summary>Serialized size of custom_attributes, content_attributes or submitted_values.</summary>
    public int MaxAttributesBytes { get; set; } = 8 * 1024;
}
