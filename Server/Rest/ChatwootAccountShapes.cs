using System.Text.Json;
using System.Text.Json.Serialization;
using ChatHub.Contracts;
using ChatHub.Server.Chatwoot;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Features.Contacts;

namespace ChatHub.Server.Rest;

/// <summary>The application API's agent, inbox and contact answers as Chatwoot's views render them
/// (<c>app/views/api/v1/models/_agent</c>, <c>_inbox</c>, <c>_contact</c>, <c>_contact_inbox</c>.json.jbuilder, and the
/// <c>app/views/api/v1/accounts/{agents,inboxes,contacts}</c> views that wrap them), mapped from the use cases' answers.
/// Fields ChatHub has no notion of are left out, or given the value that means "not used" (noted per field). A
/// contact's source_id is never shown to agents (ChatHub's promise; Chatwoot shows it in contact_inboxes).</summary>
public static class ChatwootAccountShapes
{
    private const long AccountId = ChatwootAccount.Id;
    /// <summary>ChatHub's inbox is Chatwoot's API channel: an inbox_identifier for the client API and an HMAC secret.</summary>
    private const string ChannelType = "Channel::Api";
    private static readonly Dictionary<string, JsonElement> NoAttributes = [];

    /// <summary><c>_agent.json.jbuilder</c>; ChatHub agents sign in by token (provider "email", always confirmed) and
    /// have no avatar (thumbnail "") and no auto-offline.</summary>
    public sealed record Agent(long Id, long AccountId, string AvailabilityStatus, bool AutoOffline, bool Confirmed, bool Active,
        string Email, string Provider, string AvailableName, string Name, string Role, string Thumbnail);

    /// <summary><c>_inbox.json.jbuilder</c> for an API channel: hmac_token to administrators only.</summary>
    public sealed record Inbox(
        long Id, string AvatarUrl, long ChannelId, string Name, string ChannelType, bool GreetingEnabled, string? GreetingMessage,
        bool WorkingHoursEnabled, bool CsatSurveyEnabled, IReadOnlyList<WorkingHourDto> WorkingHours, string Timezone, bool HmacMandatory,
        string ReplyTime, string InboxIdentifier,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HmacToken);

    /// <summary>The inbox of a contact, in <c>contact_inboxes</c> (<c>_contact_inbox.json.jbuilder</c> without its
    /// source_id).</summary>
    public sealed record ContactInbox(ContactInboxInbox Inbox);
    public sealed record ContactInboxInbox(long Id, string Name, string ChannelType);

    /// <summary><c>_contact.json.jbuilder</c>: ChatHub tracks no contact presence (availability_status "offline"), no
    /// blocking (false) and no last activity (null).</summary>
    public sealed record Contact(
        long Id, string Name, string? Email, string? PhoneNumber, string? Identifier, string Thumbnail, string AvailabilityStatus,
        bool Blocked, Dictionary<string, JsonElement> AdditionalAttributes, Dictionary<string, JsonElement> CustomAttributes,
        long? LastActivityAt, long CreatedAt, IReadOnlyList<ContactInbox> ContactInboxes, bool HmacVerified);

    public sealed record ContactList(ContactListMeta Meta, IReadOnlyList<Contact> Payload);
    public sealed record ContactListMeta(int Count, int CurrentPage);

    /// <summary>contacts/create.json.jbuilder: the contact and its contact inbox (source_id null: agents never see it).</summary>
    public sealed record ContactCreated(ContactCreatedPayload Payload);
    public sealed record ContactCreatedPayload(Contact Contact, ContactCreatedInbox ContactInbox);
    public sealed record ContactCreatedInbox(ContactInboxInbox Inbox, string? SourceId);

    /// <summary>conversations/meta.json.jbuilder.</summary>
    public sealed record ConversationCountsMeta(ChatwootShapes.ConversationListMeta Meta);

    public static Agent ToAgent(AgentDto a) =>
        new(a.Id, AccountId, a.Availability, false, true, a.Active, a.Email, "email", a.Name, a.Name, a.Role, "");

    public static Inbox ToInbox(InboxAdminDto i) => new(i.Id, "", i.Id, i.Name, ChannelType, i.GreetingEnabled, i.GreetingMessage,
        i.WorkingHoursEnabled, i.CsatSurveyEnabled, i.WorkingHours, i.Timezone, i.HmacMandatory, i.ReplyTime, i.Identifier,
        i.HmacToken is { Length: > 0 } secret ? secret : null);

    public static Contact ToContact(ContactRecord r)
    {
        var c = r.Contact;
        return new Contact(c.Id, c.Name ?? "", c.Email, c.PhoneNumber, c.Identifier, c.AvatarUrl ?? "", Availabilities.Offline, false,
            NoAttributes, c.CustomAttributes ?? NoAttributes, null, r.CreatedAt, [new ContactInbox(InboxOf(r))], c.HmacVerified);
    }

    public static ContactList ToContactList(ContactPage page) => new(new ContactListMeta(page.Total, page.Page), page.Contacts.Select(ToContact).ToList());

    public static ContactCreated ToContactCreated(ContactRecord r) => new(new ContactCreatedPayload(ToContact(r), new ContactCreatedInbox(InboxOf(r), null)));

    public static ConversationCountsMeta ToCounts(Features.Conversations.ConversationCounts counts) =>
        new(new ChatwootShapes.ConversationListMeta(counts.Mine, counts.Assigned, counts.Unassigned, counts.All));

    private static ContactInboxInbox InboxOf(ContactRecord r) => new(r.InboxId, r.InboxName, ChannelType);
}
