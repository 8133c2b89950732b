namespace ChatHub.Server.Common;

/// <summary>The "Limits" configuration section (API.md "Limits").</summary>
public sealed class ChatLimits
{
    public int MaxContentLength { get; set; } = 16_384;
    public int MaxHubMessageBytes { get; set; } = 64 * 1024;
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;
    /// <summary>Messages a sender may send per window; 0 turns the limit off.</summary>
    public int MessagesPerWindow { get; set; } = 20;
    public int WindowSeconds { get; set; } = 10;
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
