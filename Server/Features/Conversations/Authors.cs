using ChatHub.Contracts;
using ChatHub.Server.Application.Events;
using ChatHub.Server.Identity;
using ChatHub.Server.Identity.Accounts;
using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Conversations;

/// <summary>Names of who wrote what: messages store the sender's type and id, readers are shown the name.</summary>
public static class Authors
{
    public static async ValueTask<Author> OfCallerAsync(IStoreReader store, Caller caller) => caller.IsContact
        ? Of(await store.GetContactAsync(caller.Id), caller.Id)
        : Of(await store.GetAgentAsync(caller.Id), caller.Id);

    public static Author Of(ContactRow? contact, long id) => new(SenderTypes.Contact, id, contact?.Name,
        contact is null ? null : new AuthorDetails(contact.Email, contact.PhoneNumber, contact.Identifier, contact.AvatarUrl, contact.CustomAttributes));

    /// <summary>An agent as others see it: its display name (Chatwoot's available_name) and avatar.</summary>
    public static Author Of(AgentRow? agent, long id) => new(SenderTypes.Agent, id, agent is null ? null : AgentAvatars.AvailableName(agent),
        agent is null ? null : new AuthorDetails(AvatarUrl: AgentAvatars.UrlOf(agent), Availability: agent.Availability));

    /// <summary>The authors of a page of messages, each looked up once.</summary>
    public static async ValueTask<IReadOnlyDictionary<(string, long), Author>> OfMessagesAsync(IStoreReader store, IEnumerable<MessageRow> messages)
    {
        var authors = new Dictionary<(string, long), Author>();
        foreach (var m in messages)
        {
            if (m.SenderType is not { } type || m.SenderId is not { } id || authors.ContainsKey((type, id))) continue;
            authors[(type, id)] = type == SenderTypes.Contact ? Of(await store.GetContactAsync(id), id) : Of(await store.GetAgentAsync(id), id);
        }
        return authors;
    }

    public static Author? Of(this IReadOnlyDictionary<(string, long), Author> authors, MessageRow m) =>
        m.SenderType is { } type && m.SenderId is { } id && authors.TryGetValue((type, id), out var author) ? author : null;

    /// <summary>How an activity line names whoever acted.</summary>
    public static string Display(Author author) => author.Name ?? (author.Type == SenderTypes.Contact ? "the customer" : "an agent");
}
