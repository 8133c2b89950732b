using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Features.Contacts;

namespace ChatHub.Server.Chatwoot;

/// <summary>Chatwoot's search answers (app/views/api/v1/accounts/search/*.json.jbuilder and conversations/search):
/// <c>{payload: {conversations, contacts, messages}}</c> (each endpoint its own key), and the conversation list's
/// envelope for <c>conversations/search</c>. ChatHub adds <c>meta</c> with the page and whether more follow (it
/// counts no total: a common word's every match would be read to count it).</summary>
public static class ChatwootSearch
{
    private static readonly Dictionary<string, JsonElement> None = [];

    public sealed record Envelope(SearchPayload Payload);
    public sealed record SearchPayload(
        IReadOnlyList<SearchConversation>? Conversations = null, IReadOnlyList<SearchContact>? Contacts = null,
        IReadOnlyList<MessageData>? Messages = null, SearchMeta? Meta = null);
    public sealed record SearchMeta(int CurrentPage, bool HasMore);

    /// <summary>The <c>_conversation_search_result</c> partial: the conversation's first (here: newest matching)
    /// message, its contact, inbox and assignee.</summary>
    public sealed record SearchConversation(long Id, long AccountId, long CreatedAt, MessageData? Message, SearchContact? Contact,
        SearchInbox Inbox, AgentData? Agent, Dictionary<string, JsonElement> AdditionalAttributes);
    public sealed record SearchInbox(long Id);
    /// <summary>The <c>_contact</c> partial.</summary>
    public sealed record SearchContact(string? Email, long Id, string? Name, string? PhoneNumber, string? Identifier,
        Dictionary<string, JsonElement> AdditionalAttributes, long? LastActivityAt);

    public static Envelope Messages(MessageSearchResult result) =>
        new(new SearchPayload(Messages: result.Messages.Select(hit => ChatwootMessage.Data(hit.Message)).ToList(),
            Meta: new SearchMeta(result.Page, result.HasMore)));

    public static Envelope Conversations(ConversationSearchResult result) =>
        new(new SearchPayload(Conversations: result.Conversations.Select(Conversation).ToList(), Meta: new SearchMeta(result.Page, result.HasMore)));

    public static Envelope Contacts(ContactPage page) =>
        new(new SearchPayload(Contacts: page.Contacts.Select(c => Contact(c.Contact)).ToList(),
            Meta: new SearchMeta(page.Page, page.Page * ContactPage.Size < page.Total)));

    /// <summary>search#index: the first page of each.</summary>
    public static Envelope All(ConversationSearchResult conversations, ContactPage contacts, MessageSearchResult messages) =>
        new(new SearchPayload(conversations.Conversations.Select(Conversation).ToList(), contacts.Contacts.Select(c => Contact(c.Contact)).ToList(),
            messages.Messages.Select(hit => ChatwootMessage.Data(hit.Message)).ToList()));

    /// <summary>conversations#search: the conversation list's envelope, its counts those of what the search reached.</summary>
    public static ChatwootShapes.ConversationList List(ConversationSearchResult result) => new(new ChatwootShapes.ConversationListData(
        new ChatwootShapes.ConversationListMeta(result.MineCount, result.AssignedCount, result.UnassignedCount, result.AllCount),
        result.Conversations.Select(ChatwootConversation.Data).ToList()));

    private static SearchConversation Conversation(ConversationDto c) => new(c.Id, ChatwootAccount.Id, c.CreatedAt,
        c.Messages is { Count: > 0 } messages ? ChatwootMessage.Data(messages[0]) : null, c.Contact is { } contact ? Contact(contact) : null,
        new SearchInbox(c.InboxId), c.Assignee is { } assignee ? ChatwootUser.Agent(assignee) : null, None);

    private static SearchContact Contact(ContactDto c) =>
        new(c.Email, c.Id, c.Name, c.PhoneNumber, c.Identifier, c.CustomAttributes ?? None, null);
}
