using LiteDB;
using static ChatHub.Server.Storage.LiteDb.LiteDbSchema;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Rows to documents and back. Every field of a row (<see cref="RowShape{T}"/>) is a document field of the
/// same name (the id is _id), through compiled accessors: a new field of a row needs nothing here. A field absent from
/// an older document keeps the row's own default (e.g. an inbox's reply_time). What is LiteDB's own is each row's key
/// fields, the compound keys its indexes range over (<see cref="LiteDbSchema"/>).</summary>
internal static class LiteDbRows
{
    public static BsonDocument ToDocument(InboxRow i) => Document(i);
    public static InboxRow ToInbox(BsonDocument d) => Row<InboxRow>(d);

    public static BsonDocument ToDocument(AgentRow a) => With(Document(a), (AgentEmailKey, Key.Email(a.Email)));
    public static AgentRow ToAgent(BsonDocument d) => Row<AgentRow>(d);

    public static BsonDocument ToDocument(ContactRow c) => With(Document(c),
        (ContactSource, Key.Of(c.InboxId, c.SourceId)),
        (ContactIdentifier, c.Identifier is null ? BsonValue.Null : Key.Of(c.InboxId, c.Identifier)));
    public static ContactRow ToContact(BsonDocument d) => Row<ContactRow>(d);

    public static BsonDocument ToDocument(ConversationRow c) => With(Document(c),
        (ConversationOfContact, Key.Of(c.ContactId, c.Id)),
        (ConversationOfInboxStatus, Key.Of(c.InboxId, c.Status, c.LastActivityAt, c.Id)),
        (ConversationSnooze, c.SnoozedUntil is { } until ? Key.Of(until, c.Id) : BsonValue.Null));
    public static ConversationRow ToConversation(BsonDocument d) => Row<ConversationRow>(d);

    public static BsonDocument ToDocument(MessageRow m) => With(Document(m),
        (MessagePage, Key.Of(m.ConversationId, m.Id)),
        (MessageSeq, Key.Of(m.ConversationId, m.Seq)),
        (MessageContactSeq, m.ContactSeq is { } contactSeq ? Key.Of(m.ConversationId, contactSeq) : BsonValue.Null),
        (MessageEcho, m.EchoId is not null && m.SenderType is not null && m.SenderId is { } senderId
            ? Key.Echo(m.SenderType, senderId, m.EchoId, m.ConversationId) : Key.NoEcho(m.Id)));
    public static MessageRow ToMessage(BsonDocument d) => Row<MessageRow>(d);

    public static BsonDocument ToDocument(AttachmentRow a) => With(Document(a),
        (UploadOfSender, Key.Of(a.UploaderId, a.UploaderType, a.CreatedAt, a.Id)),
        (UploadOfInbox, a.InboxId is { } inboxId ? Key.Of(inboxId, a.CreatedAt, a.Id) : BsonValue.Null),
        (PendingUpload, a.MessageId is null ? Key.Of(a.CreatedAt, a.Id) : BsonValue.Null));
    public static AttachmentRow ToAttachment(BsonDocument d) => Row<AttachmentRow>(d);

    public static BsonDocument ToDocument(LabelRow l) => Document(l);
    public static LabelRow ToLabel(BsonDocument d) => Row<LabelRow>(d);

    public static BsonDocument ToDocument(AgentSecretRow r) => With(Document(r), (SecretOfAgent, Key.Of(r.AgentId, r.Purpose)));
    public static AgentSecretRow ToAgentSecret(BsonDocument d) => Row<AgentSecretRow>(d);
    public static BsonDocument ToDocument(AgentAvatarRow r) => Document(r);
    public static AgentAvatarRow ToAgentAvatar(BsonDocument d) => Row<AgentAvatarRow>(d);
    public static BsonDocument ToDocument(TeamRow t) => Document(t);
    public static TeamRow ToTeam(BsonDocument d) => Row<TeamRow>(d);
    public static BsonDocument ToDocument(CannedResponseRow c) => Document(c);
    public static CannedResponseRow ToCannedResponse(BsonDocument d) => Row<CannedResponseRow>(d);
    public static BsonDocument ToDocument(ContactNoteRow n) => Document(n);
    public static ContactNoteRow ToContactNote(BsonDocument d) => Row<ContactNoteRow>(d);
    public static BsonDocument ToDocument(CampaignRow c) => Document(c);
    public static CampaignRow ToCampaign(BsonDocument d) => Row<CampaignRow>(d);
    /// <summary>A conversation document read as the narrow row of a report (issue 25).</summary>
    public static ReportFactRow ToReportFact(BsonDocument d) => Row<ReportFactRow>(d);

    public static BsonDocument ToDocument(WebhookRow w) => Document(w);
    public static WebhookRow ToWebhook(BsonDocument d) => Row<WebhookRow>(d);

    public static BsonDocument ToDocument(WebhookDeliveryRow r) => With(Document(r),
        (DeliveryOfWebhook, Key.Of(r.WebhookId, r.Id)),
        (PendingDelivery, r.Status == DeliveryStatuses.Pending ? Key.Of(r.WebhookId, r.Id) : BsonValue.Null));
    public static WebhookDeliveryRow ToDelivery(BsonDocument d) => Row<WebhookDeliveryRow>(d);

    /// <summary>One slice of an attachment's bytes, under attachment|seq.</summary>
    public static BsonDocument ChunkDocument(long attachmentId, long seq, byte[] data) => new()
    {
        ["_id"] = Key.Of(attachmentId, seq), ["data"] = data,
    };

    private static string FieldName(RowField field) => field.Name == "id" ? "_id" : field.Name;

    private static BsonDocument Document<T>(T row) where T : class, new()
    {
        var document = new BsonDocument();
        foreach (var field in RowShape<T>.Instance.Fields)
        {
            document[FieldName(field)] = field.Get(row) switch
            {
                null => BsonValue.Null,
                long number => new BsonValue(number),
                int number => new BsonValue(number),
                bool flag => new BsonValue(flag),
                var text => new BsonValue((string)text),
            };
        }
        return document;
    }

    private static T Row<T>(BsonDocument document) where T : class, new()
    {
        var row = new T();
        foreach (var field in RowShape<T>.Instance.Fields)
        {
            if (!document.TryGetValue(FieldName(field), out var value)) continue; // absent from an older document
            if (value.IsNull)
            {
                if (field.IsNullable) field.Set(row, null);
                continue;
            }
            field.Set(row, field.ValueType == typeof(long) ? value.AsInt64
                : field.ValueType == typeof(int) ? value.AsInt32
                : field.ValueType == typeof(bool) ? value.AsBoolean
                : value.AsString);
        }
        return row;
    }

    private static BsonDocument With(BsonDocument document, params (string Key, BsonValue Value)[] keys)
    {
        foreach (var (key, value) in keys) document[key] = value;
        return document;
    }
}
