using System.Text.Json;
using System.Text.Json.Serialization;
using ChatHub.Contracts;
using ChatHub.Server.Features.Contacts;

namespace ChatHub.Server.Chatwoot;

/// <summary>An inbox as the <c>_inbox</c> partial (app/views/api/v1/models/_inbox.json.jbuilder) renders a website
/// channel (<see cref="ChatwootInbox.Channel"/>): hmac_token to administrators only. ChatHub inboxes have no avatar
/// (""), no channel of their own (channel_id is the inbox's id); ChatHub adds the client API's inbox_identifier.</summary>
public sealed record InboxData(
    long Id, string AvatarUrl, long ChannelId, string Name, string ChannelType, bool GreetingEnabled, string? GreetingMessage,
    bool WorkingHoursEnabled, bool CsatSurveyEnabled, IReadOnlyList<WorkingHourDto> WorkingHours, string Timezone, bool HmacMandatory,
    string ReplyTime, bool EnableAutoAssignment, AutoAssignmentConfigDto AutoAssignmentConfig, string InboxIdentifier, string? OutOfOfficeMessage,
    bool PreChatFormEnabled, PreChatFormOptionsDto PreChatFormOptions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HmacToken);

/// <summary>A contact's inbox in <c>contact_inboxes</c> (<c>_contact_inbox.json.jbuilder</c>) without its source_id,
/// which agents never see; the inbox slimmed to what names it.</summary>
public sealed record ContactInboxData(ContactInboxInbox Inbox);
public sealed record ContactInboxInbox(long Id, string Name, string ChannelType);

/// <summary>A contact as the <c>_contact</c> partial (app/views/api/v1/models/_contact.json.jbuilder) renders it for the
/// application API's contacts endpoints (times as integers, as the partial writes them): ChatHub tracks no contact
/// presence (availability_status "offline"), blocks nobody and keeps no last activity (null); ChatHub adds
/// hmac_verified. Never the contact's credentials.</summary>
public sealed record ContactData(
    long Id, string Name, string? Email, string? PhoneNumber, string? Identifier, string Thumbnail, string AvailabilityStatus,
    bool Blocked, Dictionary<string, JsonElement> AdditionalAttributes, Dictionary<string, JsonElement> CustomAttributes,
    long? LastActivityAt, long CreatedAt, IReadOnlyList<ContactInboxData> ContactInboxes, bool HmacVerified);

/// <summary>The application API's directory answers (app/views/api/v1/accounts/{agents,inboxes,contacts}/*.json.jbuilder
/// and conversations/meta.json.jbuilder), built from the use cases' answers.</summary>
public static class ChatwootDirectory
{
    private static readonly Dictionary<string, JsonElement> None = [];

    public sealed record InboxList(IReadOnlyList<InboxData> Payload);

    /// <summary>contacts/index and search: the page and the count (ChatHub: of every match).</summary>
    public sealed record ContactList(ContactListMeta Meta, IReadOnlyList<ContactData> Payload);
    public sealed record ContactListMeta(int Count, int CurrentPage);

    /// <summary>contacts/show and update.</summary>
    public sealed record ContactPayload(ContactData Payload);

    /// <summary>contacts/create: the contact and its contact inbox (source_id null: agents never see it).</summary>
    public sealed record CreatedContact(ContactCreatedPayload Payload);
    public sealed record ContactCreatedPayload(ContactData Contact, ContactCreatedInbox ContactInbox);
    public sealed record ContactCreatedInbox(ContactInboxInbox Inbox, string? SourceId);

    /// <summary>inbox_members/show.</summary>
    public sealed record AgentList(IReadOnlyList<AgentData> Payload);

    /// <summary>contacts/conversations/index.</summary>
    public sealed record ContactConversationList(IReadOnlyList<ConversationData> Payload);

    /// <summary>conversations/meta.</summary>
    public sealed record ConversationCountsMeta(ChatwootShapes.ConversationListMeta Meta);

    /// <summary>The <c>_agent</c> partial for an agent of the account (<see cref="ChatwootUser.Agent"/>'s record): its
    /// availability_status is the effective one (offline without a connection: auto_offline true, Application/Presence).</summary>
    public static AgentData Agent(AgentDto a) =>
        new(a.Id, ChatwootAccount.Id, a.Availability, true, true, a.Email, a.DisplayName ?? a.Name, a.Name, a.Role, a.AvatarUrl ?? "");

    public static IReadOnlyList<AgentData> Agents(IEnumerable<AgentDto> agents) => agents.Select(Agent).ToList();

    /// <summary>inbox_members/show: an inbox's agents, each the <c>_agent</c> partial, under <c>payload</c>.</summary>
    public static AgentList Members(IEnumerable<AgentDto> agents) => new(Agents(agents));

    public static InboxData Inbox(InboxAdminDto i) => new(i.Id, "", i.Id, i.Name, ChatwootInbox.Channel, i.GreetingEnabled, i.GreetingMessage,
        i.WorkingHoursEnabled, i.CsatSurveyEnabled, i.WorkingHours, i.Timezone, i.HmacMandatory, i.ReplyTime,
        i.EnableAutoAssignment, i.AutoAssignmentConfig, i.Identifier, i.OutOfOfficeMessage, i.PreChatFormEnabled, i.PreChatFormOptions,
        i.HmacToken is { Length: > 0 } secret ? secret : null);

    public static InboxList Inboxes(IEnumerable<InboxAdminDto> inboxes) => new(inboxes.Select(Inbox).ToList());

    public static ContactData Contact(AccountContact r)
    {
        var c = r.Contact;
        return new ContactData(c.Id, c.Name ?? "", c.Email, c.PhoneNumber, c.Identifier, c.AvatarUrl ?? "", Availabilities.Offline, false,
            None, c.CustomAttributes ?? None, null, c.CreatedAt, [new ContactInboxData(InboxOf(r))], c.HmacVerified);
    }

    public static ContactPayload OneContact(AccountContact r) => new(Contact(r));

    public static ContactList Contacts(ContactPage page) => new(new ContactListMeta(page.Total, page.Page), page.Contacts.Select(Contact).ToList());

    public static CreatedContact Created(AccountContact r) => new(new ContactCreatedPayload(Contact(r), new ContactCreatedInbox(InboxOf(r), null)));

    public static ContactConversationList Conversations(IEnumerable<ConversationDto> conversations) =>
        new(conversations.Select(ChatwootConversation.Data).ToList());

    public static ConversationCountsMeta Counts(Features.Conversations.ConversationCounts counts) =>
        new(new ChatwootShapes.ConversationListMeta(counts.Mine, counts.Assigned, counts.Unassigned, counts.All));

    private static ContactInboxInbox InboxOf(AccountContact r) => new(r.InboxId, r.InboxName, ChatwootInbox.Channel);
}
