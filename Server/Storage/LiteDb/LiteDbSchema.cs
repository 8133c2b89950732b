using LiteDB;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>Collections, index keys and versioned migrations. LiteDB has no compound index, so each of the SQLite
/// schema's compound indexes is a key field written beside the row (see <see cref="Key"/>): its ordinal order is the
/// compound order, so a page, a resync or a list is a range scan of one index. The database's UserVersion holds how
/// many migrations have run. Append new steps; never edit a released one.</summary>
public static class LiteDbSchema
{
    public const string Inboxes = "inboxes";
    public const string Agents = "agents";
    public const string Members = "inbox_members";
    public const string Contacts = "contacts";
    public const string Conversations = "conversations";
    public const string Messages = "messages";
    public const string Webhooks = "webhooks";
    public const string WebhookDeliveries = "webhook_deliveries";
    public const string Attachments = "attachments";
    public const string Labels = "labels";
    /// <summary>Email (issue 24): replies to email to customers who are away, one per conversation (under its id).</summary>
    public const string ReplyEmails = "reply_emails";
    public const string Teams = "teams";
    /// <summary>Team memberships under team|agent (no id of their own).</summary>
    public const string TeamMembers = "team_members";
    /// <summary>Canned responses (issue 25).</summary>
    public const string CannedResponses = "canned_responses";
    /// <summary>Contact notes (issue 25).</summary>
    public const string ContactNotes = "contact_notes";
    /// <summary>Campaigns (issue 27).</summary>
    public const string Campaigns = "campaigns";
    /// <summary>Before step 4: an attachment's bytes in one document under its id (a document holds at most 16 MB).</summary>
    public const string AttachmentData = "attachment_data";
    /// <summary>An attachment's bytes in slices of <see cref="AttachmentChunks.Bytes"/>, one document each, under
    /// attachment|seq (<see cref="Key.Of(long, long)"/>): a download reads a bounded slice per short read, and a file may be
    /// larger than a document.</summary>
    public const string AttachmentChunkDocuments = "attachment_chunks";
    /// <summary>Agents' sessions and one-time links (accounts, issue 24).</summary>
    public const string AgentSecrets = "agent_secrets";
    /// <summary>Agents' avatars (accounts, issue 24).</summary>
    public const string AgentAvatars = "agent_avatars";
    /// <summary>Search (issue 25): the words of incoming and outgoing messages, one document per word and message under
    /// word|message id (LiteDbSession.Search); keyed by text, so not in <see cref="Collections"/> (the collections of ids).</summary>
    public const string MessageWords = "message_words";
    public static readonly string[] Collections = [Inboxes, Agents, Members, Contacts, Conversations, Messages, Webhooks, WebhookDeliveries, Attachments, Labels,
        AgentSecrets, AgentAvatars, Teams, TeamMembers, CannedResponses, ContactNotes, Campaigns];

    // Key fields (each indexed under its own name).
    public const string InboxIdentifier = "identifier";                 // unique
    public const string AgentEmailKey = "email_key";                   // unique, the email folded to one case
    public const string AgentTokenHash = "access_token_hash";          // unique
    public const string AgentPubsubToken = "pubsub_token";             // unique
    public const string MemberByAgent = "agent_inbox";                 // agent|inbox, unique (the _id is inbox|agent)
    public const string ContactSource = "source_key";                  // inbox|source id, unique
    public const string ContactTokenHash = "pubsub_token_hash";        // unique
    public const string ContactIdentifier = "identifier_key";          // inbox|identifier, null when none
    public const string ConversationUuid = "uuid";                     // unique
    public const string ConversationOfContact = "contact_key";         // contact|id, unique (a key that never changes:
                                                                       // a contact's few conversations sort in memory)
    public const string ConversationOfInboxStatus = "inbox_status_activity"; // inbox|status|last activity|id: the one
                                                                       // key a message changes (an inbox's list)
    public const string MessagePage = "page_key";                      // conversation|id, unique
    public const string MessageSeq = "seq_key";                        // conversation|seq, unique
    public const string MessageContactSeq = "contact_seq_key";         // conversation|contact seq, null for notes
    public const string MessageEcho = "echo_key";                      // sender|echoId|conversation, unique (a row without
                                                                       // an echoId gets "-id": LiteDB's unique index takes one null)
    public const string DeliveryOfWebhook = "webhook_key";             // webhook|id, unique: a webhook's deliveries
    public const string PendingDelivery = "pending_key";               // webhook|id while pending, else null: each
                                                                       // webhook's queue, its head first
    public const string AttachmentToken = "token";                     // unique
    public const string AttachmentOfMessage = "message_id";            // the row's own field, null while pending: a
                                                                       // page's attachments are one IN over it
    public const string UploadOfSender = "uploader_key";               // uploader id|uploader type|created|id
    public const string UploadOfInbox = "inbox_key";                   // inbox|created|id, null for an agent's upload
    public const string PendingUpload = "pending_key";                 // created|id while pending, else null
    public const string ConversationSnooze = "snooze_key";             // snooze end|id while snoozed until a time, else null
    public const string LabelTitle = "title";                          // unique
    public const string ReplyEmailDue = "due_at";                      // the row's own field: a claim's range
    public const string SecretTokenHash = "token_hash";                // unique
    public const string SecretOfAgent = "agent_purpose_key";           // agent|purpose
    public const string AvatarToken = "token";                         // unique
    public const string AvatarOfAgent = "agent_id";                    // the row's own field, unique
    public const string TeamMemberByAgent = "agent_team";              // agent|team, unique (the _id is team|agent)
    public const string CannedResponseShortCode = "short_code";        // the row's own field, unique
    public const string ContactNoteContact = "contact_id";             // the row's own field
    public const string CampaignOfInbox = "inbox_id";                  // the row's own field

    private static readonly Action<LiteDatabase>[] Migrations =
    [
        db =>
        {
            void Index(string collection, string field, bool unique) => db.GetCollection(collection).EnsureIndex(field, "$." + field, unique);
            Index(Inboxes, InboxIdentifier, unique: true);
            Index(Agents, AgentEmailKey, unique: true);
            Index(Agents, AgentTokenHash, unique: true);
            Index(Agents, AgentPubsubToken, unique: true);
            Index(Members, MemberByAgent, unique: true);
            Index(Contacts, ContactSource, unique: true);
            Index(Contacts, ContactTokenHash, unique: true);
            Index(Contacts, ContactIdentifier, unique: false);
            Index(Conversations, ConversationUuid, unique: true);
            Index(Conversations, ContactActivityBeforeStep5, unique: false);
            Index(Conversations, InboxActivityBeforeStep5, unique: false);
            Index(Conversations, ConversationOfInboxStatus, unique: false);
            Index(Messages, MessagePage, unique: true);
            Index(Messages, MessageSeq, unique: true);
            Index(Messages, MessageContactSeq, unique: false);
            Index(Messages, MessageEcho, unique: true);
        },
        // 2: webhooks and their outbox of deliveries (docs/api.md, "Webhooks").
        db =>
        {
            db.GetCollection(WebhookDeliveries).EnsureIndex(DeliveryOfWebhook, "$." + DeliveryOfWebhook, unique: true);
            db.GetCollection(WebhookDeliveries).EnsureIndex(PendingDelivery, "$." + PendingDelivery, unique: false);
        },
        // 3: attachments (step 4 of the SQL schemas; the inbox's CSAT switch and a conversation's rating are fields
        // that read as false and null where absent).
        db =>
        {
            db.GetCollection(Attachments).EnsureIndex(AttachmentToken, "$." + AttachmentToken, unique: true);
            db.GetCollection(Attachments).EnsureIndex(MessageKeyBeforeStep5, "$." + MessageKeyBeforeStep5, unique: false);
        },
        // 4: files in slices (step 7 of the SQL schemas), the uploading contact's inbox, and keys for the upload budgets
        // and the expiry of pending uploads.
        ChunkAttachments,
        // 5: one conversation key that a message changes, not three; a page's attachments in one query.
        FewerKeys,
        // 6: account labels, and a conversation's labels, priority, snooze end and unread count (step 8 of the SQL schemas).
        LabelsAndSnooze,
        // 7: email (step 10 of the SQL schemas): reply emails, found by due time (an inbox's out-of-office message is a
        // field that reads as null where absent).
        db => db.GetCollection(ReplyEmails).EnsureIndex(ReplyEmailDue, "$." + ReplyEmailDue, unique: false),
        // 8 (accounts, issue 24): agents' sessions, one-time links and avatars (step 11 of the SQL schemas; an agent's
        // password hash, display name and avatar token are fields that read as null where absent).
        db =>
        {
            db.GetCollection(AgentSecrets).EnsureIndex(SecretTokenHash, "$." + SecretTokenHash, unique: true);
            db.GetCollection(AgentSecrets).EnsureIndex(SecretOfAgent, "$." + SecretOfAgent, unique: false);
            db.GetCollection(AgentAvatars).EnsureIndex(AvatarToken, "$." + AvatarToken, unique: true);
            db.GetCollection(AgentAvatars).EnsureIndex(AvatarOfAgent, "$." + AvatarOfAgent, unique: true);
        },
        // 9: teams and their members (step 12 of the SQL schemas; a conversation's team and an inbox's auto-assignment
        // fields read as null and false where absent).
        db => db.GetCollection(TeamMembers).EnsureIndex(TeamMemberByAgent, "$." + TeamMemberByAgent, unique: true),
        // 10 (canned responses, issue 25): one per short code (step 13 of the SQL schemas).
        db => db.GetCollection(CannedResponses).EnsureIndex(CannedResponseShortCode, "$." + CannedResponseShortCode, unique: true),
        // 11 (contact notes, issue 25): a contact's notes found by its id (step 14 of the SQL schemas).
        db => db.GetCollection(ContactNotes).EnsureIndex(ContactNoteContact, "$." + ContactNoteContact, unique: false),
        // 12 (campaigns and post-chat form, issue 27): campaigns by inbox (step 15 of the SQL schemas; an inbox's
        // post-chat form and a conversation's answers are fields that read as null where absent).
        db => db.GetCollection(Campaigns).EnsureIndex(CampaignOfInbox, "$." + CampaignOfInbox, unique: false),
        // 13 (reports, issue 25): a conversation's first reply, resolution and CSAT times indexed with its creation time
        // (step 18 of the SQL schemas, backfilled alike).
        ReportTimesIndexed,
        // 14 (search, issue 25): the word index of the messages stored already (step 19 of the SQL schemas); upserts, so
        // a step cut short runs again harmlessly.
        IndexMessageWords,
    ];

    /// <summary>Reports (issue 25): the conversation's own time fields a report reads a period along, each indexed
    /// under its own name.</summary>
    public static readonly string[] ReportTimes = ["created_at", "first_reply_at", "resolved_at", "csat_at"];

    /// <summary>Step 13, idempotent: each stored conversation gets its first agent reply from its messages, a resolved
    /// one its last activity as its resolution time, a rated one its survey message's last update as its rating time
    /// (as step 18 of the SQL schemas); then the four times are indexed.</summary>
    private static void ReportTimesIndexed(LiteDatabase db)
    {
        var conversations = db.GetCollection(Conversations);
        var messages = db.GetCollection(Messages);
        foreach (var id in conversations.FindAll().Select(d => d["_id"].AsInt64).ToList())
        {
            var c = LiteDbRows.ToConversation(conversations.FindById(id));
            var ofConversation = LiteDbQueries.Range(messages, MessagePage, Key.Prefix(Key.Number(id) + "|"), descending: false).ToEnumerable()
                .Select(LiteDbRows.ToMessage).ToList();
            c.FirstReplyAt ??= ofConversation.Where(m => m.MessageType == global::ChatHub.Contracts.MessageTypes.Outgoing && !m.Private
                && m.SenderType == global::ChatHub.Contracts.SenderTypes.Agent && m.ContentType != "input_csat").Select(m => (long?)m.CreatedAt).Min();
            if (c.Status == "resolved") c.ResolvedAt ??= c.LastActivityAt;
            if (c.CsatRating is not null)
                c.CsatAt ??= ofConversation.Where(m => m.ContentType == "input_csat").Select(m => (long?)m.UpdatedAt).Max();
            conversations.Update(LiteDbRows.ToDocument(c));
        }
        foreach (var field in ReportTimes) conversations.EnsureIndex(field, "$." + field, unique: false);
    }

    private static void IndexMessageWords(LiteDatabase db)
    {
        var words = db.GetCollection(MessageWords);
        foreach (var document in db.GetCollection(Messages).FindAll())
            foreach (var word in LiteDbSession.WordDocuments(LiteDbRows.ToMessage(document))) words.Upsert(word);
    }

    /// <summary>Step 6, idempotent: the label titles' and snooze ends' indexes (no stored conversation is snoozed yet, so
    /// none has a snooze key), and each stored conversation's unread count: the customer's messages after the agents'
    /// last seen marker (a range of its messages by page key).</summary>
    private static void LabelsAndSnooze(LiteDatabase db)
    {
        db.GetCollection(Labels).EnsureIndex(LabelTitle, "$." + LabelTitle, unique: true);
        var conversations = db.GetCollection(Conversations);
        var messages = db.GetCollection(Messages);
        foreach (var id in conversations.FindAll().Select(d => d["_id"].AsInt64).ToList())
        {
            var c = LiteDbRows.ToConversation(conversations.FindById(id));
            var seenAt = c.AgentLastSeenAt ?? 0;
            c.UnreadCount = LiteDbQueries.Range(messages, MessagePage, Key.Prefix(Key.Number(id) + "|"), descending: false).ToEnumerable()
                .Select(LiteDbRows.ToMessage).Count(m => m.MessageType == global::ChatHub.Contracts.MessageTypes.Incoming && m.CreatedAt > seenAt);
            conversations.Update(LiteDbRows.ToDocument(c));
        }
        conversations.EnsureIndex(ConversationSnooze, "$." + ConversationSnooze, unique: false);
    }

    /// <summary>Before step 5: contact|last activity|id and inbox|last activity|id, two more keys every message moved
    /// (each a delete and an insert in a skip list, some pages each).</summary>
    private const string ContactActivityBeforeStep5 = "contact_activity";
    private const string InboxActivityBeforeStep5 = "inbox_activity";
    /// <summary>Before step 5: message|id, a range per message of a page (51 queries for a page of 50).</summary>
    private const string MessageKeyBeforeStep5 = "message_key";

    /// <summary>Step 5, idempotent: the old indexes go first (so rewriting a document maintains none of them), every
    /// conversation and attachment is written again in its new shape (its keys recomputed, the old key fields gone),
    /// then the new indexes are built. A contact's conversations are a range of contact|id, sorted by activity in
    /// memory; an inbox's whole list is the range of its inbox|status|activity|id keys over every status; a page's
    /// attachments are found by message_id IN (the page's ids).</summary>
    private static void FewerKeys(LiteDatabase db)
    {
        var conversations = db.GetCollection(Conversations);
        conversations.DropIndex(ContactActivityBeforeStep5);
        conversations.DropIndex(InboxActivityBeforeStep5);
        foreach (var id in conversations.FindAll().Select(d => d["_id"]).ToList())
            conversations.Update(LiteDbRows.ToDocument(LiteDbRows.ToConversation(conversations.FindById(id))));
        conversations.EnsureIndex(ConversationOfContact, "$." + ConversationOfContact, unique: true);

        var attachments = db.GetCollection(Attachments);
        attachments.DropIndex(MessageKeyBeforeStep5);
        foreach (var id in attachments.FindAll().Select(d => d["_id"]).ToList())
            attachments.Update(LiteDbRows.ToDocument(LiteDbRows.ToAttachment(attachments.FindById(id))));
        attachments.EnsureIndex(AttachmentOfMessage, "$." + AttachmentOfMessage, unique: false);
    }

    /// <summary>Step 4, idempotent as every step: a file whose old document is gone was moved already; slices are
    /// upserted, so a file cut short by a crash is moved again whole.</summary>
    private static void ChunkAttachments(LiteDatabase db)
    {
        var attachments = db.GetCollection(Attachments);
        var oldData = db.GetCollection(AttachmentData);
        var chunks = db.GetCollection(AttachmentChunkDocuments);
        var contacts = db.GetCollection(Contacts);
        foreach (var id in attachments.FindAll().Select(d => d["_id"].AsInt64).ToList())
        {
            var row = LiteDbRows.ToAttachment(attachments.FindById(id));
            if (row.UploaderType == global::ChatHub.Contracts.SenderTypes.Contact && contacts.FindById(row.UploaderId) is { } contact)
                row.InboxId = contact["inbox_id"].AsInt64;
            if (oldData.FindById(id) is { } document)
            {
                var bytes = document["data"].AsBinary;
                for (var seq = 0L; seq < AttachmentChunks.CountOf(bytes.Length); seq++)
                {
                    var offset = (int)(seq * AttachmentChunks.Bytes);
                    chunks.Upsert(LiteDbRows.ChunkDocument(id, seq, bytes.AsSpan(offset, Math.Min(AttachmentChunks.Bytes, bytes.Length - offset)).ToArray()));
                }
            }
            attachments.Update(LiteDbRows.ToDocument(row));
            oldData.Delete(id);
        }
        db.DropCollection(AttachmentData);
        attachments.EnsureIndex(UploadOfSender, "$." + UploadOfSender, unique: false);
        attachments.EnsureIndex(UploadOfInbox, "$." + UploadOfInbox, unique: false);
        attachments.EnsureIndex(PendingUpload, "$." + PendingUpload, unique: false);
    }

    public static int LatestVersion => Migrations.Length;

    /// <summary>Runs the missing steps, then records the version. Steps are idempotent (EnsureIndex does nothing for an
    /// index that exists), so a step cut short by a crash runs again harmlessly. One process per file (the lock
    /// file): no other node races this.</summary>
    /// <param name="upTo">The version to stop at (tests build an older database with it); the latest by default.</param>
    public static void Migrate(LiteDatabase db, int? upTo = null)
    {
        for (var step = db.UserVersion; step < Math.Min(upTo ?? Migrations.Length, Migrations.Length); step++)
        {
            Migrations[step](db);
            db.UserVersion = step + 1;
        }
        db.Checkpoint();
    }

    /// <summary>Compound keys: fixed-width numbers that sort as their values (negative ones too), text last or
    /// length-prefixed, so that no two tuples share a key and ordinal order is tuple order.</summary>
    public static class Key
    {
        public static string Number(long value) => ((ulong)value ^ 0x8000_0000_0000_0000UL).ToString("D20");
        public static string Text(string value) => $"{value.Length}:{value}";

        public static string Of(long a, long b) => $"{Number(a)}|{Number(b)}";
        public static string Of(long a, long b, long c) => $"{Number(a)}|{Number(b)}|{Number(c)}";
        public static string Of(long a, string text) => $"{Number(a)}|{text}";
        public static string Of(long a, string text, long b, long c) => $"{Number(a)}|{Text(text)}|{Number(b)}|{Number(c)}";
        /// <summary>What every echo key of this sender and echoId starts with (the conversation follows).</summary>
        public static string EchoOfSender(string senderType, long senderId, string echoId) => $"{Number(senderId)}|{Text(senderType)}|{Text(echoId)}|";
        public static string Echo(string senderType, long senderId, string echoId, long conversationId) =>
            EchoOfSender(senderType, senderId, echoId) + Number(conversationId);
        public static string NoEcho(long messageId) => "-" + Number(messageId);
        public static string Email(string email) => email.ToUpperInvariant();

        /// <summary>Every key that starts with <paramref name="prefix"/> lies in [From, To] (no key holds U+FFFF).</summary>
        public static (string From, string To) Prefix(string prefix) => (prefix, prefix + '\uffff');
    }
}
