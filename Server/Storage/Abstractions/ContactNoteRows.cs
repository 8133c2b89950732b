namespace ChatHub.Server.Storage;

/// <summary>A private note agents keep on a contact (Chatwoot's notes, issue 25): internal to the agents, never sent to
/// the contact nor shown in the widget; it outlives the conversation it was written in.</summary>
public sealed class ContactNoteRow
{
    [WrittenOnce] public long Id { get; set; }
    [WrittenOnce] public long ContactId { get; set; }
    /// <summary>The agent who wrote it (Chatwoot's user_id).</summary>
    [WrittenOnce] public long AgentId { get; set; }
    public string Content { get; set; } = "";
    [WrittenOnce] public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}
