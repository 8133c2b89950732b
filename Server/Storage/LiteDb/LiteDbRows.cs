using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Rows to documents and back, by hand (no reflection on the hot path), with each row's key fields.</summary>
internal static class LiteDbRows
{
    private static BsonValue Nullable(long? value) => value is { } v ? new BsonValue(v) : BsonValue.Null;
    private static BsonValue Nullable(string? value) => value is null ? BsonValue.Null : new BsonValue(value);
    private static long? Long(BsonValue value) => value.IsNull ? null : value.AsInt64;
    private static string? Text(BsonValue value) => value.IsNull ? null : value.AsString;

    public static BsonDocument ToDocument(InboxRow i) => new()
    {
        ["_id"] = i.Id, [InboxIdentifier] = i.Identifier, ["name"] = i.Name, ["hmac_token"] = i.HmacToken,
        ["hmac_mandatory"] = i.HmacMandatory, ["timezone"] = i.Timezone, ["working_hours_enabled"] = i.WorkingHoursEnabled,
        ["working_hours"] = Nullable(i.WorkingHours), ["greeting_enabled"] = i.GreetingEnabled,
        ["greeting_message"] = Nullable(i.GreetingMessage), ["created_at"] = i.CreatedAt, ["csat_survey_enabled"] = i.CsatSurveyEnabled,
        ["reply_time"] = i.ReplyTime,
    };

    public static InboxRow ToInbox(BsonDocument d) => new()
    {
        Id = d["_id"].AsInt64, Identifier = d[InboxIdentifier].AsString, Name = d["name"].AsString, HmacToken = d["hmac_token"].AsString,
        HmacMandatory = d["hmac_mandatory"].AsBoolean, Timezone = d["timezone"].AsString, WorkingHoursEnabled = d["working_hours_enabled"].AsBoolean,
        WorkingHours = Text(d["working_hours"]), GreetingEnabled = d["greeting_enabled"].AsBoolean, GreetingMessage = Text(d["greeting_message"]),
        CreatedAt = d["created_at"].AsInt64, CsatSurveyEnabled = d["csat_survey_enabled"] is { IsBoolean: true } csat && csat.AsBoolean,
        ReplyTime = d["reply_time"] is { IsString: true } reply ? reply.AsString : global::ChatHub.Contracts.ReplyTimes.InAFewMinutes, // absent from older documents
    };

    public static BsonDocument ToDocument(AgentRow a) => new()
    {
        ["_id"] = a.Id, ["name"] = a.Name, ["email"] = a.Email, [AgentEmailKey] = Key.Email(a.Email), ["role"] = a.Role,
        [AgentTokenHash] = a.AccessTokenHash, [AgentPubsubToken] = a.PubsubToken, ["availability"] = a.Availability, ["created_at"] = a.CreatedAt,
        ["deactivated_at"] = a.DeactivatedAt is { } at ? new BsonValue(at) : BsonValue.Null,
    };

    public static AgentRow ToAgent(BsonDocument d) => new()
    {
        Id = d["_id"].AsInt64, Name = d["name"].AsString, Email = d["email"].AsString, Role = d["role"].AsString,
        AccessTokenHash = d[AgentTokenHash].AsString, PubsubToken = d[AgentPubsubToken].AsString, Availability = d["availability"].AsString,
        CreatedAt = d["created_at"].AsInt64,
        DeactivatedAt = d["deactivated_at"] is { IsInt64: true } at ? at.AsInt64 : null, // absent from older documents
    };

    public static BsonDocument ToDocument(ContactRow c) => new()
    {
        ["_id"] = c.Id, ["inbox_id"] = c.InboxId, ["source_id"] = c.SourceId, [ContactSource] = Key.Of(c.InboxId, c.SourceId),
        ["pubsub_token"] = c.PubsubToken, [ContactTokenHash] = c.PubsubTokenHash, ["name"] = Nullable(c.Name), ["email"] = Nullable(c.Email),
        ["phone_number"] = Nullable(c.PhoneNumber), ["identifier"] = Nullable(c.Identifier),
        [ContactIdentifier] = c.Identifier is null ? BsonValue.Null : Key.Of(c.InboxId, c.Identifier),
        ["custom_attributes"] = Nullable(c.CustomAttributes), ["hmac_verified"] = c.HmacVerified, ["created_at"] = c.CreatedAt,
        ["avatar_url"] = Nullable(c.AvatarUrl),
    };

    public static ContactRow ToContact(BsonDocument d) => new()
    {
        Id = d["_id"].AsInt64, InboxId = d["inbox_id"].AsInt64, SourceId = d["source_id"].AsString, PubsubToken = d["pubsub_token"].AsString,
        PubsubTokenHash = d[ContactTokenHash].AsString, Name = Text(d["name"]), Email = Text(d["email"]), PhoneNumber = Text(d["phone_number"]),
        Identifier = Text(d["identifier"]), CustomAttributes = Text(d["custom_attributes"]), HmacVerified = d["hmac_verified"].AsBoolean,
        CreatedAt = d["created_at"].AsInt64, AvatarUrl = Text(d["avatar_url"]),
    };

    public static BsonDocument ToDocument(ConversationRow c) => new()
    {
        ["_id"] = c.Id, [ConversationUuid] = c.Uuid, ["inbox_id"] = c.InboxId, ["contact_id"] = c.ContactId, ["status"] = c.Status,
        ["assignee_id"] = Nullable(c.AssigneeId), ["seq"] = c.Seq, ["contact_seq"] = c.ContactSeq,
        ["custom_attributes"] = Nullable(c.CustomAttributes), ["contact_last_seen_at"] = Nullable(c.ContactLastSeenAt),
        ["agent_last_seen_at"] = Nullable(c.AgentLastSeenAt), ["created_at"] = c.CreatedAt, ["last_activity_at"] = c.LastActivityAt,
        ["csat_rating"] = c.CsatRating is { } rating ? new BsonValue(rating) : BsonValue.Null,
        [ConversationOfContact] = Key.Of(c.ContactId, c.LastActivityAt, c.Id),
        [ConversationOfInbox] = Key.Of(c.InboxId, c.LastActivityAt, c.Id),
        [ConversationOfInboxStatus] = Key.Of(c.InboxId, c.Status, c.LastActivityAt, c.Id),
    };

    public static ConversationRow ToConversation(BsonDocument d) => new()
    {
        Id = d["_id"].AsInt64, Uuid = d[ConversationUuid].AsString, InboxId = d["inbox_id"].AsInt64, ContactId = d["contact_id"].AsInt64,
        Status = d["status"].AsString, AssigneeId = Long(d["assignee_id"]), Seq = d["seq"].AsInt64, ContactSeq = d["contact_seq"].AsInt64,
        CustomAttributes = Text(d["custom_attributes"]), ContactLastSeenAt = Long(d["contact_last_seen_at"]),
        AgentLastSeenAt = Long(d["agent_last_seen_at"]), CreatedAt = d["created_at"].AsInt64, LastActivityAt = d["last_activity_at"].AsInt64,
        CsatRating = d["csat_rating"] is { IsNumber: true } rating ? rating.AsInt32 : null,
    };

    public static BsonDocument ToDocument(MessageRow m) => new()
    {
        ["_id"] = m.Id, ["conversation_id"] = m.ConversationId, ["seq"] = m.Seq, ["contact_seq"] = Nullable(m.ContactSeq),
        ["message_type"] = m.MessageType, ["content"] = m.Content, ["content_type"] = m.ContentType,
        ["content_attributes"] = Nullable(m.ContentAttributes), ["private"] = m.Private, ["echo_id"] = Nullable(m.EchoId),
        ["sender_type"] = Nullable(m.SenderType), ["sender_id"] = Nullable(m.SenderId), ["created_at"] = m.CreatedAt, ["updated_at"] = m.UpdatedAt,
        [MessagePage] = Key.Of(m.ConversationId, m.Id),
        [MessageSeq] = Key.Of(m.ConversationId, m.Seq),
        [MessageContactSeq] = m.ContactSeq is { } contactSeq ? Key.Of(m.ConversationId, contactSeq) : BsonValue.Null,
        [MessageEcho] = m.EchoId is not null && m.SenderType is not null && m.SenderId is { } senderId
            ? Key.Echo(m.SenderType, senderId, m.EchoId, m.ConversationId) : Key.NoEcho(m.Id),
    };

    public static MessageRow ToMessage(BsonDocument d) => new()
    {
        Id = d["_id"].AsInt64, ConversationId = d["conversation_id"].AsInt64, Seq = d["seq"].AsInt64, ContactSeq = Long(d["contact_seq"]),
        MessageType = d["message_type"].AsInt32, Content = d["content"].AsString, ContentType = d["content_type"].AsString,
        ContentAttributes = Text(d["content_attributes"]), Private = d["private"].AsBoolean, EchoId = Text(d["echo_id"]),
        SenderType = Text(d["sender_type"]), SenderId = Long(d["sender_id"]), CreatedAt = d["created_at"].AsInt64, UpdatedAt = d["updated_at"].AsInt64,
    };

    public static BsonDocument ToDocument(AttachmentRow a) => new()
    {
        ["_id"] = a.Id, [AttachmentToken] = a.Token, ["uploader_type"] = a.UploaderType, ["uploader_id"] = a.UploaderId,
        ["inbox_id"] = Nullable(a.InboxId),
        ["message_id"] = Nullable(a.MessageId), [AttachmentOfMessage] = a.MessageId is { } messageId ? Key.Of(messageId, a.Id) : BsonValue.Null,
        ["file_name"] = a.FileName, ["file_type"] = a.FileType, ["extension"] = Nullable(a.Extension), ["content_type"] = a.ContentType,
        ["file_size"] = a.FileSize, ["created_at"] = a.CreatedAt,
        [UploadOfSender] = Key.Of(a.UploaderId, a.UploaderType, a.CreatedAt, a.Id),
        [UploadOfInbox] = a.InboxId is { } inboxId ? Key.Of(inboxId, a.CreatedAt, a.Id) : BsonValue.Null,
        [PendingUpload] = a.MessageId is null ? Key.Of(a.CreatedAt, a.Id) : BsonValue.Null,
    };

    /// <summary>One slice of an attachment's bytes, under attachment|seq.</summary>
    public static BsonDocument ChunkDocument(long attachmentId, long seq, byte[] data) => new()
    {
        ["_id"] = Key.Of(attachmentId, seq), ["data"] = data,
    };

    public static AttachmentRow ToAttachment(BsonDocument d) => new()
    {
        Id = d["_id"].AsInt64, Token = d[AttachmentToken].AsString, UploaderType = d["uploader_type"].AsString, UploaderId = d["uploader_id"].AsInt64,
        InboxId = Long(d["inbox_id"]), MessageId = Long(d["message_id"]), FileName = d["file_name"].AsString, FileType = d["file_type"].AsString,
        Extension = Text(d["extension"]), ContentType = d["content_type"].AsString, FileSize = d["file_size"].AsInt64,
        CreatedAt = d["created_at"].AsInt64,
    };
}
