using System.Text.Json.Serialization;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.ContactNotes;

/// <summary>A contact note as Chatwoot renders it (<c>api/v1/models/_note.json.jbuilder</c>): its content, the
/// account's and contact's ids, the agent who wrote it as the <c>_agent</c> partial (left out when that agent is gone)
/// and Unix-second times.</summary>
public sealed record ContactNoteDto(long Id, string Content, long AccountId, long ContactId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AgentData? User, long CreatedAt, long UpdatedAt);

public static class ContactNoteMapper
{
    public static ContactNoteDto ToDto(ContactNoteRow note, AgentRow? author) => new(note.Id, note.Content, ChatwootAccount.Id, note.ContactId,
        author is null ? null : ChatwootUser.Agent(ConversationMapper.ToSender(Authors.Of(author, author.Id)) with { Email = author.Email, Role = author.Role }),
        note.CreatedAt / 1000, note.UpdatedAt / 1000);

    /// <summary>Notes with their authors, each author read once.</summary>
    public static async ValueTask<IReadOnlyList<ContactNoteDto>> ToDtosAsync(IStoreReader store, IEnumerable<ContactNoteRow> notes)
    {
        var authors = new Dictionary<long, AgentRow?>();
        var answers = new List<ContactNoteDto>();
        foreach (var note in notes)
        {
            if (!authors.TryGetValue(note.AgentId, out var author)) authors[note.AgentId] = author = await store.GetAgentAsync(note.AgentId);
            answers.Add(ToDto(note, author));
        }
        return answers;
    }
}
