namespace ChatHub.Server.Storage;

/// <summary>A canned response (Chatwoot's canned_responses): an account-wide reply an agent inserts in the composer by
/// its short code.</summary>
public sealed class CannedResponseRow
{
    [WrittenOnce] public long Id { get; set; }
    /// <summary>Unique, exactly (case included).</summary>
    public string ShortCode { get; set; } = "";
    public string Content { get; set; } = "";
    [WrittenOnce] public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}
