using System.Text.Json;
using Xunit;

namespace ChatHub.Server.Tests.Chatwoot;

/// <summary>One field of a Chatwoot shape: its name, the Chatwoot file it comes from (in chatwoot/chatwoot, or "ChatHub"
/// for ChatHub's own additions), the JSON kinds its value may have, and whether Chatwoot leaves it out at times.</summary>
public sealed record ShapeField(string Name, string Source, JsonValueKind[] Kinds, bool Optional = false);

/// <summary>A shape's exact set of keys with their kinds (<see cref="Assert"/> checks both ways: nothing missing,
/// nothing more), and the shapes of its nested objects.</summary>
public sealed record Shape(string Name, IReadOnlyList<ShapeField> Fields)
{
    public void Assert(JsonElement json)
    {
        Xunit.Assert.True(json.ValueKind == JsonValueKind.Object, $"{Name}: an object expected, got {json}");
        var names = json.EnumerateObject().Select(p => p.Name).ToHashSet();
        var extra = names.Except(Fields.Select(f => f.Name)).ToList();
        Xunit.Assert.True(extra.Count == 0, $"{Name}: keys no source names: {string.Join(", ", extra)} in {json}");
        foreach (var field in Fields)
        {
            if (!json.TryGetProperty(field.Name, out var value))
            {
                Xunit.Assert.True(field.Optional, $"{Name}.{field.Name} ({field.Source}) missing in {json}");
                continue;
            }
            Xunit.Assert.True(field.Kinds.Contains(value.ValueKind),
                $"{Name}.{field.Name} ({field.Source}): {value.ValueKind} where {string.Join("|", field.Kinds)} was expected");
        }
    }

    public Shape With(params ShapeField[] more) => new(Name, [.. Fields, .. more]);
    public Shape Without(params string[] names) => new(Name, Fields.Where(f => !names.Contains(f.Name)).ToList());
}

/// <summary>Chatwoot's shapes, field by field, each traced to the Chatwoot file that renders it. The golden tests hold
/// ChatHub's REST answers, /cable broadcasts and webhook bodies to them.</summary>
public static class ChatwootShapeCatalog
{
    private const JsonValueKind Obj = JsonValueKind.Object, Str = JsonValueKind.String, Num = JsonValueKind.Number,
        Arr = JsonValueKind.Array, Nul = JsonValueKind.Null, Yes = JsonValueKind.True, No = JsonValueKind.False;

    private const string MessageModel = "app/models/message.rb#push_event_data";
    private const string MessageWebhook = "app/models/message.rb#webhook_data";
    private const string Presenter = "app/presenters/conversations/event_data_presenter.rb#push_data";
    private const string ConversationPartial = "app/views/api/v1/conversations/partials/_conversation.json.jbuilder";
    private const string PublicConversationView = "app/views/public/api/v1/models/_conversation.json.jbuilder";
    private const string ContactModel = "app/models/contact.rb#push_event_data";
    private const string ContactWebhook = "app/models/contact.rb#webhook_data";
    private const string ContactRecordSource = "app/models/contact.rb (db/schema.rb contacts; the record as_json)";
    private const string UserModel = "app/models/user.rb#push_event_data";
    private const string UserWebhook = "app/models/user.rb#webhook_data";
    private const string AgentPartial = "app/views/api/v1/models/_agent.json.jbuilder";
    private const string AttachmentModel = "app/models/attachment.rb#push_event_data";
    private const string InboxView = "app/views/public/api/v1/inboxes/show.json.jbuilder";
    private const string MessagesIndex = "app/views/api/v1/accounts/conversations/messages/index.json.jbuilder";
    private const string ToggleStatus = "app/views/api/v1/accounts/conversations/toggle_status.json.jbuilder";
    private const string Listener = "app/listeners/webhook_listener.rb";
    private const string CableListener = "app/listeners/action_cable_listener.rb";
    private const string ChatHub = "ChatHub";
    private const string CannedResponseRecord = "app/models/canned_response.rb (db/schema.rb canned_responses; the record as_json)";

    private static ShapeField F(string name, string source, params JsonValueKind[] kinds) => new(name, source, kinds);
    private static ShapeField Opt(string name, string source, params JsonValueKind[] kinds) => new(name, source, kinds, Optional: true);

    /// <summary><c>canned_responses_controller.rb</c> renders the record as_json (db/schema.rb canned_responses).</summary>
    public static readonly Shape CannedResponse = new("canned response",
    [
        F("id", CannedResponseRecord, Num), F("account_id", CannedResponseRecord, Num), F("short_code", CannedResponseRecord, Str),
        F("content", CannedResponseRecord, Str), F("created_at", CannedResponseRecord, Str), F("updated_at", CannedResponseRecord, Str),
    ]);

    private const string NotePartial = "app/views/api/v1/models/_note.json.jbuilder";

    /// <summary>A contact note (<c>contacts/notes_controller.rb</c> renders the _note partial; user is the _agent partial).</summary>
    public static readonly Shape ContactNote = new("contact note",
    [
        F("id", NotePartial, Num), F("content", NotePartial, Str), F("account_id", NotePartial, Num), F("contact_id", NotePartial, Num),
        Opt("user", NotePartial, Obj), F("created_at", NotePartial, Num), F("updated_at", NotePartial, Num),
    ]);

    public static readonly Shape AccountData = new("account", [F("id", "app/models/account.rb#webhook_data", Num), F("name", "app/models/account.rb#webhook_data", Str)]);

    public static readonly Shape Attachment = new("attachment",
    [
        F("id", AttachmentModel, Num), F("message_id", AttachmentModel, Num), F("file_type", AttachmentModel, Str),
        F("account_id", AttachmentModel, Num), F("extension", AttachmentModel, Str, Nul), F("data_url", AttachmentModel, Str),
        F("thumb_url", AttachmentModel, Str), F("file_size", AttachmentModel, Num),
        F("file_name", ChatHub, Str),
    ]);

    public static readonly Shape UserPushData = new("user push data",
    [
        F("id", UserModel, Num), F("name", UserModel, Str), F("available_name", UserModel, Str), F("avatar_url", UserModel, Str),
        F("type", UserModel, Str), F("availability_status", UserModel, Str), F("thumbnail", UserModel, Str),
    ]);

    public static readonly Shape UserWebhookData = UserPushData.With(F("email", UserWebhook, Str)) with { Name = "user webhook data" };

    public static readonly Shape Agent = new("agent",
    [
        F("id", AgentPartial, Num), F("account_id", AgentPartial, Num), F("availability_status", AgentPartial, Str),
        F("auto_offline", AgentPartial, Yes, No), F("confirmed", AgentPartial, Yes, No), F("email", AgentPartial, Str),
        F("available_name", AgentPartial, Str), F("name", AgentPartial, Str), F("role", AgentPartial, Str),
        F("thumbnail", AgentPartial, Str),
    ]);

    private const string InboxPartial = "app/views/api/v1/models/_inbox.json.jbuilder";
    private const string ContactPartial = "app/views/api/v1/models/_contact.json.jbuilder";
    private const string ContactInboxPartial = "app/views/api/v1/models/_contact_inbox.json.jbuilder";

    /// <summary>The application API's inbox (a website channel); hmac_token to administrators only.</summary>
    public static readonly Shape InboxData = new("inbox",
    [
        F("id", InboxPartial, Num), F("avatar_url", InboxPartial, Str), F("channel_id", InboxPartial, Num), F("name", InboxPartial, Str),
        F("channel_type", InboxPartial, Str), F("greeting_enabled", InboxPartial, Yes, No), F("greeting_message", InboxPartial, Str, Nul),
        F("working_hours_enabled", InboxPartial, Yes, No), F("csat_survey_enabled", InboxPartial, Yes, No),
        F("working_hours", InboxPartial, Arr), F("timezone", InboxPartial, Str), F("hmac_mandatory", InboxPartial, Yes, No),
        F("reply_time", InboxPartial, Str), F("out_of_office_message", InboxPartial, Str, Nul), Opt("hmac_token", InboxPartial, Str),
        F("enable_auto_assignment", InboxPartial, Yes, No), F("auto_assignment_config", InboxPartial, Obj),
        F("pre_chat_form_enabled", InboxPartial, Yes, No), F("pre_chat_form_options", InboxPartial, Obj),
        F("inbox_identifier", ChatHub, Str),
    ]);

    /// <summary>The application API's contact (the _contact partial with its contact inboxes, never their source_id).</summary>
    public static readonly Shape ContactData = new("contact",
    [
        F("id", ContactPartial, Num), F("name", ContactPartial, Str), F("email", ContactPartial, Str, Nul),
        F("phone_number", ContactPartial, Str, Nul), F("identifier", ContactPartial, Str, Nul), F("thumbnail", ContactPartial, Str),
        F("availability_status", ContactPartial, Str), F("blocked", ContactPartial, Yes, No), F("additional_attributes", ContactPartial, Obj),
        F("custom_attributes", ContactPartial, Obj), F("last_activity_at", ContactPartial, Num, Nul), F("created_at", ContactPartial, Num),
        F("contact_inboxes", ContactPartial, Arr),
        F("hmac_verified", ChatHub, Yes, No),
    ]);

    public static readonly Shape ContactInboxData = new("contact inbox", [F("inbox", ContactInboxPartial, Obj)]);

    public static readonly Shape ContactPushData = new("contact push data",
    [
        F("additional_attributes", ContactModel, Obj), F("custom_attributes", ContactModel, Obj), F("email", ContactModel, Str, Nul),
        F("id", ContactModel, Num), F("identifier", ContactModel, Str, Nul), F("name", ContactModel, Str),
        F("phone_number", ContactModel, Str, Nul), F("thumbnail", ContactModel, Str), F("blocked", ContactModel, Yes, No),
        F("type", ContactModel, Str),
    ]);

    /// <summary>A contact's message's sender in a webhook (without the account).</summary>
    public static readonly Shape ContactWebhookSender = new("contact webhook data",
    [
        F("additional_attributes", ContactWebhook, Obj), F("avatar", ContactWebhook, Str), F("custom_attributes", ContactWebhook, Obj),
        F("email", ContactWebhook, Str, Nul), F("id", ContactWebhook, Num), F("identifier", ContactWebhook, Str, Nul),
        F("name", ContactWebhook, Str), F("phone_number", ContactWebhook, Str, Nul), F("thumbnail", ContactWebhook, Str),
        F("blocked", ContactWebhook, Yes, No), F("type", ChatHub + " (as push data)", Str),
    ]);

    /// <summary>contact_created / contact_updated: webhook_data with the account, and the event's name.</summary>
    public static readonly Shape ContactWebhookBody = ContactWebhookSender.With(F("account", ContactWebhook, Obj), F("event", Listener, Str))
        with { Name = "contact webhook body" };

    public static readonly Shape ContactRecord = new("contact record",
    [
        F("id", ContactRecordSource, Num), F("name", ContactRecordSource, Str), F("email", ContactRecordSource, Str, Nul),
        F("phone_number", ContactRecordSource, Str, Nul), F("account_id", ContactRecordSource, Num),
        F("created_at", ContactRecordSource, Str), F("updated_at", ContactRecordSource, Str),
        F("additional_attributes", ContactRecordSource, Obj), F("identifier", ContactRecordSource, Str, Nul),
        F("custom_attributes", ContactRecordSource, Obj), F("last_activity_at", ContactRecordSource, Str, Nul),
        F("blocked", ContactRecordSource, Yes, No), F("thumbnail", ChatHub, Str),
    ]);

    /// <summary>A message as the REST partials render it (app/views/public/api/v1/models/_message.json.jbuilder,
    /// app/views/api/v1/conversations/partials/_message.json.jbuilder): push data without its conversation.</summary>
    public static readonly Shape RestMessage = new("message",
    [
        F("id", MessageModel, Num), F("content", MessageModel, Str), F("account_id", MessageModel, Num),
        F("inbox_id", MessageModel, Num), F("conversation_id", MessageModel, Num), F("message_type", MessageModel, Num),
        F("created_at", MessageModel, Num), F("updated_at", MessageModel, Str), F("private", MessageModel, Yes, No),
        F("status", MessageModel, Str), F("source_id", MessageModel, Str, Nul), F("content_type", MessageModel, Str),
        F("content_attributes", MessageModel, Obj), F("sender_type", MessageModel, Str, Nul), F("sender_id", MessageModel, Num, Nul),
        F("external_source_ids", MessageModel, Obj), F("additional_attributes", MessageModel, Obj),
        Opt("echo_id", MessageModel + " (when set)", Str), F("attachments", MessageModel + " (ChatHub: [] when none)", Arr),
        Opt("sender", MessageModel + " (when a sender)", Obj), F("seq", ChatHub, Num),
    ]);

    public static readonly Shape MessageConversation = new("message's conversation",
    [
        F("assignee_id", MessageModel, Num, Nul), F("unread_count", MessageModel, Num), F("last_activity_at", MessageModel, Num),
    ]);

    public static readonly Shape MessagePushData = RestMessage.With(F("conversation", MessageModel, Obj)) with { Name = "message push data" };

    public static readonly Shape MessageWebhookBody = new("message webhook body",
    [
        F("event", Listener, Str), F("account", MessageWebhook, Obj), F("additional_attributes", MessageWebhook, Obj),
        F("content_attributes", MessageWebhook, Obj), F("content_type", MessageWebhook, Str), F("content", MessageWebhook, Str),
        F("conversation", MessageWebhook, Obj), F("created_at", MessageWebhook, Str), F("id", MessageWebhook, Num),
        F("inbox", MessageWebhook, Obj), F("message_type", MessageWebhook, Str), F("private", MessageWebhook, Yes, No),
        F("sender", MessageWebhook, Obj, Nul), F("source_id", MessageWebhook, Str, Nul),
        F("attachments", MessageWebhook + " (ChatHub: [] when none)", Arr), F("seq", ChatHub, Num),
    ]);

    public static readonly Shape ConversationPushMeta = new("conversation push meta",
    [
        F("sender", Presenter, Obj), F("assignee", Presenter, Obj, Nul),
        F("assignee_type", Presenter, Str, Nul), F("team", Presenter, Obj, Nul), F("hmac_verified", Presenter, Yes, No),
    ]);

    public static readonly Shape ConversationPushData = new("conversation push data",
    [
        F("additional_attributes", Presenter, Obj), F("can_reply", Presenter, Yes, No), F("channel", Presenter, Str),
        F("id", Presenter, Num), F("inbox_id", Presenter, Num), F("messages", Presenter, Arr), F("labels", Presenter, Arr),
        F("meta", Presenter, Obj), F("status", Presenter, Str), F("custom_attributes", Presenter, Obj),
        F("snoozed_until", Presenter, Str, Nul), F("unread_count", Presenter, Num), F("first_reply_created_at", Presenter, Str, Nul),
        F("priority", Presenter, Str, Nul), F("waiting_since", Presenter, Num), F("agent_last_seen_at", Presenter, Num),
        F("contact_last_seen_at", Presenter, Num), F("last_activity_at", Presenter, Num), F("timestamp", Presenter, Num),
        F("created_at", Presenter, Num),
        F("uuid", ChatHub, Str), F("account_id", ChatHub, Num), F("assignee_id", ChatHub, Num, Nul), F("seq", ChatHub, Num),
    ]);

    /// <summary>conversation_created: push data and the event's name; conversation_updated / conversation_status_changed
    /// add changed_attributes.</summary>
    public static readonly Shape ConversationWebhookBody = ConversationPushData.With(F("event", Listener, Str)) with { Name = "conversation webhook body" };

    public static readonly Shape ConversationUpdatedWebhookBody =
        ConversationWebhookBody.With(F("changed_attributes", Listener + " (base_listener.rb#extract_changed_attributes)", Arr));

    public static readonly Shape ConversationMeta = new("conversation meta",
    [
        F("sender", ConversationPartial, Obj), F("channel", ConversationPartial, Str),
        Opt("assignee", ConversationPartial + " (when assigned)", Obj), Opt("team", ConversationPartial + " (when a team is set)", Obj),
        F("hmac_verified", ConversationPartial, Yes, No, Nul),
    ]);

    public static readonly Shape ApplicationConversation = new("application conversation",
    [
        F("meta", ConversationPartial, Obj), F("id", ConversationPartial, Num), F("messages", ConversationPartial, Arr),
        F("account_id", ConversationPartial, Num), F("uuid", ConversationPartial, Str),
        F("additional_attributes", ConversationPartial, Obj), F("agent_last_seen_at", ConversationPartial, Num),
        F("assignee_last_seen_at", ConversationPartial, Num), F("can_reply", ConversationPartial, Yes, No),
        F("contact_last_seen_at", ConversationPartial, Num), F("custom_attributes", ConversationPartial, Obj),
        F("inbox_id", ConversationPartial, Num), F("labels", ConversationPartial, Arr), F("muted", ConversationPartial, Yes, No),
        F("snoozed_until", ConversationPartial, Str, Nul), F("status", ConversationPartial, Str),
        F("created_at", ConversationPartial, Num), F("timestamp", ConversationPartial, Num),
        F("first_reply_created_at", ConversationPartial, Num), F("unread_count", ConversationPartial, Num),
        F("last_non_activity_message", ConversationPartial, Obj, Nul), F("last_activity_at", ConversationPartial, Num),
        F("priority", ConversationPartial, Str, Nul), F("waiting_since", ConversationPartial, Num),
        F("contact_id", ChatHub, Num), F("assignee_id", ChatHub, Num, Nul), F("seq", ChatHub, Num),
    ]);

    public static readonly Shape PublicConversation = new("client API conversation",
    [
        F("id", PublicConversationView, Num), F("uuid", PublicConversationView, Str), F("inbox_id", PublicConversationView, Num),
        F("contact_last_seen_at", PublicConversationView, Num), F("status", PublicConversationView, Str),
        F("agent_last_seen_at", PublicConversationView, Num), F("messages", PublicConversationView, Arr),
        F("contact", PublicConversationView, Obj),
        F("contact_id", ChatHub, Num), F("assignee_id", ChatHub, Num, Nul), F("seq", ChatHub, Num),
        F("custom_attributes", ChatHub, Obj), F("created_at", ChatHub, Num), F("timestamp", ChatHub, Num),
        F("last_activity_at", ChatHub, Num),
    ]);

    public static readonly Shape MessageListMeta = new("messages list meta",
    [
        F("labels", MessagesIndex, Arr), F("additional_attributes", MessagesIndex, Obj), F("contact", MessagesIndex, Obj),
        Opt("assignee", MessagesIndex + " (when assigned)", Obj), F("agent_last_seen_at", MessagesIndex, Str, Nul),
        F("assignee_last_seen_at", MessagesIndex, Str, Nul),
        F("contact_id", ChatHub, Num), F("assignee_id", ChatHub, Num, Nul), F("contact_last_seen_at", ChatHub, Str, Nul),
    ]);

    public static readonly Shape StatusToggledPayload = new("toggle_status payload",
    [
        F("success", ToggleStatus, Yes, No), F("current_status", ToggleStatus, Str), F("conversation_id", ToggleStatus, Num),
        F("snoozed_until", ToggleStatus, Str, Nul),
    ]);

    public static readonly Shape PublicInbox = new("client API inbox",
    [
        F("identifier", InboxView, Str), F("identity_validation_enabled", InboxView, Yes, No), F("name", InboxView, Str),
        F("timezone", InboxView, Str), F("working_hours_enabled", InboxView, Yes, No), F("working_hours", InboxView, Arr),
        F("csat_survey_enabled", InboxView, Yes, No), F("greeting_enabled", InboxView, Yes, No),
        F("greeting_message", ChatHub, Str, Nul), F("reply_time", ChatHub, Str),
        F("online", ChatHub, Yes, No), F("max_attachment_bytes", ChatHub, Num),
        F("is_open", ChatHub, Yes, No), F("out_of_office_message", ChatHub, Str, Nul),
        F("pre_chat_form_enabled", ChatHub, Yes, No), F("pre_chat_form_options", ChatHub, Obj),
        F("sneak_peek_enabled", ChatHub, Yes, No), Opt("predicted_agent", ChatHub, Obj),
    ]);

    private const string PublicContactView = "app/views/public/api/v1/inboxes/contacts/create.json.jbuilder";

    /// <summary>The client API's contact (create, show, update): the contact's own view, with its credentials.</summary>
    public static readonly Shape PublicContact = new("client API contact",
    [
        F("id", PublicContactView, Num), F("source_id", PublicContactView, Str), F("pubsub_token", PublicContactView, Str),
        F("name", PublicContactView, Str), F("email", PublicContactView, Str, Nul),
        F("phone_number", ChatHub, Str, Nul), F("identifier", ChatHub, Str, Nul), F("custom_attributes", ChatHub, Obj, Nul),
        F("hmac_verified", ChatHub, Yes, No), F("avatar_url", ChatHub, Str, Nul), F("created_at", ChatHub, Num),
    ]);

    public static readonly Shape InboxWebhookData = new("inbox webhook data",
        [F("id", "app/models/inbox.rb#webhook_data", Num), F("name", "app/models/inbox.rb#webhook_data", Str)]);

    public static readonly Shape TypingCable = new("typing on /cable",
    [
        F("conversation", CableListener, Obj), F("user", CableListener, Obj), F("is_private", CableListener, Yes, No),
        F("account_id", CableListener, Num),
    ]);

    public static readonly Shape TypingWebhookBody = new("typing webhook body",
    [
        F("event", Listener, Str), F("conversation", Listener, Obj), F("user", Listener, Obj), F("is_private", Listener, Yes, No),
    ]);
}
