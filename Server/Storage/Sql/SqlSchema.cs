namespace ChatHub.Server.Storage.Sql;

/// <summary>The versioned schema of the SQL engines, each step written once in words that their dialect renders
/// (<see cref="SqlDialect.SchemaWords"/>: {id}, {int64}, {bool}, {false}, {blob}, and the few details where the engines
/// differ). Each engine's runner applies the steps in order and records how many ran (SqliteSchema, PostgresSchema);
/// a step that only an engine can write well (data moved by code) is null here and written by the engine. Append new
/// steps; never edit a released one (what each renders to is what databases already have).</summary>
internal static class SqlSchema
{
    private static readonly string?[] Steps =
    [
        // 1: inboxes, agents and their memberships, contacts, conversations and messages.
        """
        CREATE TABLE inboxes (
            id {id},
            identifier TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            hmac_token TEXT NOT NULL,
            hmac_mandatory {bool} NOT NULL DEFAULT {false},
            timezone TEXT NOT NULL DEFAULT 'UTC',
            working_hours_enabled {bool} NOT NULL DEFAULT {false},
            working_hours TEXT,
            greeting_enabled {bool} NOT NULL DEFAULT {false},
            greeting_message TEXT,
            created_at {int64} NOT NULL);
        CREATE TABLE agents (
            id {id},
            name TEXT NOT NULL,
            email TEXT NOT NULL{email_unique},
            role TEXT NOT NULL,
            access_token_hash TEXT NOT NULL UNIQUE,
            pubsub_token TEXT NOT NULL UNIQUE,
            availability TEXT NOT NULL DEFAULT 'offline',
            created_at {int64} NOT NULL);
        {email_index}
        CREATE TABLE inbox_members (
            inbox_id {int64} NOT NULL REFERENCES inboxes(id),
            agent_id {int64} NOT NULL REFERENCES agents(id),
            PRIMARY KEY (inbox_id, agent_id)){members_options};
        CREATE INDEX ix_inbox_members_agent ON inbox_members(agent_id);
        CREATE TABLE contacts (
            id {id},
            inbox_id {int64} NOT NULL REFERENCES inboxes(id),
            source_id TEXT NOT NULL,
            pubsub_token TEXT NOT NULL,
            pubsub_token_hash TEXT NOT NULL UNIQUE,
            name TEXT, email TEXT, phone_number TEXT, identifier TEXT,
            custom_attributes TEXT,
            hmac_verified {bool} NOT NULL DEFAULT {false},
            created_at {int64} NOT NULL,
            UNIQUE (inbox_id, source_id));
        CREATE INDEX ix_contacts_identifier ON contacts(inbox_id, identifier) WHERE identifier IS NOT NULL;
        CREATE TABLE conversations (
            id {id},
            uuid TEXT NOT NULL UNIQUE,
            inbox_id {int64} NOT NULL REFERENCES inboxes(id),
            contact_id {int64} NOT NULL REFERENCES contacts(id),
            status TEXT NOT NULL,
            assignee_id {int64} REFERENCES agents(id),
            seq {int64} NOT NULL DEFAULT 0,
            contact_seq {int64} NOT NULL DEFAULT 0,
            custom_attributes TEXT,
            contact_last_seen_at {int64},
            agent_last_seen_at {int64},
            created_at {int64} NOT NULL,
            last_activity_at {int64} NOT NULL);
        CREATE INDEX ix_conversations_contact ON conversations(contact_id, last_activity_at);
        CREATE INDEX ix_conversations_inbox ON conversations(inbox_id, status, last_activity_at);
        CREATE TABLE messages (
            id {id},
            conversation_id {int64} NOT NULL REFERENCES conversations(id),
            seq {int64} NOT NULL,
            contact_seq {int64},
            message_type INTEGER NOT NULL,
            content TEXT NOT NULL,
            content_type TEXT NOT NULL,
            content_attributes TEXT,
            private {bool} NOT NULL DEFAULT {false},
            echo_id TEXT,
            sender_type TEXT,
            sender_id {int64},
            created_at {int64} NOT NULL,
            updated_at {int64} NOT NULL);
        CREATE UNIQUE INDEX ix_messages_seq ON messages(conversation_id, seq);
        CREATE INDEX ix_messages_contact_seq ON messages(conversation_id, contact_seq) WHERE contact_seq IS NOT NULL;
        {messages_page_index}
        CREATE UNIQUE INDEX ix_messages_echo ON messages(sender_type, sender_id, echo_id, conversation_id)
            WHERE echo_id IS NOT NULL;
        """,
        // 2: a contact's avatar_url (Chatwoot's POST /contacts takes one), and a name for every contact (Chatwoot
        // generates one when none is given; contacts stored before this step get "contact-<id>").
        """
        ALTER TABLE contacts ADD COLUMN avatar_url TEXT;
        UPDATE contacts SET name = 'contact-' || id WHERE name IS NULL OR name = '';
        """,
        // 3: webhooks and their outbox of deliveries (docs/api.md, "Webhooks").
        """
        CREATE TABLE webhooks (
            id {id},
            url TEXT NOT NULL,
            subscriptions TEXT NOT NULL,
            secret TEXT NOT NULL,
            created_at {int64} NOT NULL,
            updated_at {int64} NOT NULL);
        CREATE TABLE webhook_deliveries (
            id {id},
            webhook_id {int64} NOT NULL,
            delivery_id TEXT NOT NULL UNIQUE,
            event TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at {int64} NOT NULL,
            last_error TEXT,
            lease_until {int64},
            lease_owner TEXT,
            created_at {int64} NOT NULL,
            delivered_at {int64});
        CREATE INDEX ix_webhook_deliveries_pending ON webhook_deliveries(webhook_id, id) WHERE status = 'pending';
        CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries(webhook_id, id);
        """,
        // 4: attachments (their bytes in the database, so every node serves them), an inbox's CSAT survey switch
        // and a conversation's latest rating.
        """
        CREATE TABLE attachments (
            id {id},
            token TEXT NOT NULL UNIQUE,
            uploader_type TEXT NOT NULL,
            uploader_id {int64} NOT NULL,
            message_id {int64} REFERENCES messages(id),
            file_name TEXT NOT NULL,
            file_type TEXT NOT NULL,
            extension TEXT,
            content_type TEXT NOT NULL,
            file_size {int64} NOT NULL,
            created_at {int64} NOT NULL,
            data {blob} NOT NULL);
        CREATE INDEX ix_attachments_message ON attachments(message_id) WHERE message_id IS NOT NULL;
        ALTER TABLE inboxes ADD COLUMN csat_survey_enabled {bool} NOT NULL DEFAULT {false};
        ALTER TABLE conversations ADD COLUMN csat_rating INTEGER;
        """,
        // 5: what the widget's header promises about replies (Chatwoot's reply_time).
        """
        ALTER TABLE inboxes ADD COLUMN reply_time TEXT NOT NULL DEFAULT 'in_a_few_minutes';
        """,
        // 6: an agent an administrator deactivated (its token opens nothing until reactivated).
        """
        ALTER TABLE agents ADD COLUMN deactivated_at {int64};
        """,
        // 7: files in slices of 64 KiB (attachment_chunks): each engine moves the stored bytes its own way.
        null,
        // 8: account labels; a conversation's labels (titles, JSON), priority, snooze end, and its unread count (the
        // customer's messages since the agents' last seen marker, counted for the conversations stored before; only
        // those with any are rewritten).
        """
        CREATE TABLE labels (
            id {id},
            title TEXT NOT NULL UNIQUE,
            description TEXT,
            color TEXT NOT NULL,
            show_on_sidebar {bool} NOT NULL DEFAULT {false},
            created_at {int64} NOT NULL,
            updated_at {int64} NOT NULL);
        ALTER TABLE conversations ADD COLUMN labels TEXT;
        ALTER TABLE conversations ADD COLUMN priority TEXT;
        ALTER TABLE conversations ADD COLUMN snoozed_until {int64};
        ALTER TABLE conversations ADD COLUMN unread_count INTEGER NOT NULL DEFAULT 0;
        UPDATE conversations SET unread_count = (
            SELECT COUNT(*) FROM messages m WHERE m.conversation_id = conversations.id AND m.message_type = 0
                AND m.created_at > COALESCE(conversations.agent_last_seen_at, 0))
        WHERE EXISTS (
            SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id AND m.message_type = 0
                AND m.created_at > COALESCE(conversations.agent_last_seen_at, 0));
        CREATE INDEX ix_conversations_snooze ON conversations(snoozed_until, id) WHERE snoozed_until IS NOT NULL;
        """,
        // 9: history pages (a conversation's messages newest first, before an id) along (conversation_id, id), which
        // SQLite has had since step 1 ({messages_page_index}); PostgreSQL read them along the id alone, filtered.
        """
        CREATE INDEX IF NOT EXISTS ix_messages_page ON messages(conversation_id, id);
        """,
        // 10: email (issue 24): an inbox's out-of-office message, and the replies to email to customers who are away
        // (one row per conversation, claimed by one node at a time).
        """
        ALTER TABLE inboxes ADD COLUMN out_of_office_message TEXT;
        CREATE TABLE reply_emails (
            conversation_id {int64} PRIMARY KEY,
            from_message_id {int64} NOT NULL,
            due_at {int64} NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT,
            lease_until {int64});
        CREATE INDEX ix_reply_emails_due ON reply_emails(due_at);
        """,
        // 11 (accounts, issue 24): an agent's password hash, display name and avatar; its sessions and one-time links
        // (only their lookup hashes); avatars as small base64 images.
        """
        ALTER TABLE agents ADD COLUMN password_hash TEXT;
        ALTER TABLE agents ADD COLUMN display_name TEXT;
        ALTER TABLE agents ADD COLUMN avatar_token TEXT;
        CREATE TABLE agent_secrets (
            id {id},
            token_hash TEXT NOT NULL UNIQUE,
            agent_id {int64} NOT NULL REFERENCES agents(id),
            purpose TEXT NOT NULL,
            created_at {int64} NOT NULL,
            last_used_at {int64} NOT NULL,
            expires_at {int64} NOT NULL);
        CREATE INDEX ix_agent_secrets_agent ON agent_secrets(agent_id, purpose);
        CREATE TABLE agent_avatars (
            id {id},
            agent_id {int64} NOT NULL UNIQUE REFERENCES agents(id),
            token TEXT NOT NULL UNIQUE,
            content_type TEXT NOT NULL,
            data TEXT NOT NULL,
            created_at {int64} NOT NULL);
        """,
        // 12: teams and their members, a conversation's team, an inbox's auto-assignment switch and limit, and the
        // assigned conversations of an inbox by assignee (auto-assignment counts each member's open ones).
        """
        CREATE TABLE teams (
            id {id},
            name TEXT NOT NULL,
            description TEXT,
            created_at {int64} NOT NULL,
            updated_at {int64} NOT NULL);
        CREATE TABLE team_members (
            team_id {int64} NOT NULL REFERENCES teams(id),
            agent_id {int64} NOT NULL REFERENCES agents(id),
            PRIMARY KEY (team_id, agent_id)){members_options};
        ALTER TABLE conversations ADD COLUMN team_id {int64};
        ALTER TABLE inboxes ADD COLUMN enable_auto_assignment {bool} NOT NULL DEFAULT {false};
        ALTER TABLE inboxes ADD COLUMN max_assignment_limit INTEGER;
        CREATE INDEX ix_conversations_assignee ON conversations(inbox_id, assignee_id, status) WHERE assignee_id IS NOT NULL;
        """,
        // 13 (canned responses, issue 25): the account's canned responses, one per short code.
        """
        CREATE TABLE canned_responses (
            id {id},
            short_code TEXT NOT NULL UNIQUE,
            content TEXT NOT NULL,
            created_at {int64} NOT NULL,
            updated_at {int64} NOT NULL);
        """,
        // 14 (contact notes, issue 25): agents' private notes on a contact, read newest first per contact.
        """
        CREATE TABLE contact_notes (
            id {id},
            contact_id {int64} NOT NULL REFERENCES contacts(id),
            agent_id {int64} NOT NULL,
            content TEXT NOT NULL,
            created_at {int64} NOT NULL,
            updated_at {int64} NOT NULL);
        CREATE INDEX ix_contact_notes_contact ON contact_notes(contact_id, created_at);
        """,
        // 15 (sneak peek, issue 27): an inbox's sneak peek switch, on by default (LiteDB: a field that reads as on where
        // absent, no step).
        """
        ALTER TABLE inboxes ADD COLUMN sneak_peek_enabled {bool} NOT NULL DEFAULT TRUE;
        """,
        // 16 (campaigns and post-chat form, issue 27): campaigns of an inbox; an inbox's post-chat questions and a
        // conversation's answers to them (JSON).
        """
        CREATE TABLE campaigns (
            id {id},
            title TEXT NOT NULL,
            description TEXT,
            message TEXT NOT NULL,
            inbox_id {int64} NOT NULL REFERENCES inboxes(id),
            sender_id {int64},
            enabled {bool} NOT NULL DEFAULT {false},
            trigger_url TEXT NOT NULL,
            time_on_page INTEGER NOT NULL,
            trigger_only_during_business_hours {bool} NOT NULL DEFAULT {false},
            created_at {int64} NOT NULL,
            updated_at {int64} NOT NULL);
        CREATE INDEX ix_campaigns_inbox ON campaigns(inbox_id);
        ALTER TABLE inboxes ADD COLUMN post_chat_form TEXT;
        ALTER TABLE conversations ADD COLUMN post_chat_answers TEXT;
        """,
        // 17 (widget pre-chat form, issue 25): an inbox's pre-chat form, on or off, and its fields as JSON (Chatwoot's
        // pre_chat_form_enabled and pre_chat_form_options). LiteDB needs no step: absent fields read as off and null.
        """
        ALTER TABLE inboxes ADD COLUMN pre_chat_form_enabled {bool} NOT NULL DEFAULT {false};
        ALTER TABLE inboxes ADD COLUMN pre_chat_form_options TEXT;
        """,
        // 18 (reports, issue 25): a conversation's first agent reply, latest resolution and latest CSAT comment and
        // time, each indexed with its creation time (a report reads the conversations of a period along these four).
        // Stored conversations get their first reply from their messages, a resolved one its last activity as its
        // resolution time, a rated one its survey message's last update as its rating time (comments stay empty).
        """
        ALTER TABLE conversations ADD COLUMN first_reply_at {int64};
        ALTER TABLE conversations ADD COLUMN resolved_at {int64};
        ALTER TABLE conversations ADD COLUMN csat_comment TEXT;
        ALTER TABLE conversations ADD COLUMN csat_at {int64};
        UPDATE conversations SET first_reply_at = (
            SELECT MIN(m.created_at) FROM messages m WHERE m.conversation_id = conversations.id AND m.message_type = 1
                AND m.private = {false} AND m.sender_type = 'agent' AND m.content_type <> 'input_csat');
        UPDATE conversations SET resolved_at = last_activity_at WHERE status = 'resolved';
        UPDATE conversations SET csat_at = (
            SELECT MAX(m.updated_at) FROM messages m WHERE m.conversation_id = conversations.id AND m.content_type = 'input_csat')
        WHERE csat_rating IS NOT NULL;
        CREATE INDEX ix_conversations_created ON conversations(created_at);
        CREATE INDEX ix_conversations_first_reply ON conversations(first_reply_at);
        CREATE INDEX ix_conversations_resolved ON conversations(resolved_at);
        CREATE INDEX ix_conversations_csat ON conversations(csat_at);
        """,
        // 19 (search, issue 25): the full-text index of message text, each engine's own ({message_search}).
        """
        {message_search}
        """,
    ];

    public static int LatestVersion => Steps.Length;

    /// <summary>Step <paramref name="index"/> (0 for the first) for <paramref name="dialect"/>; null when the engine writes it.</summary>
    public static string? Step(int index, SqlDialect dialect) =>
        Steps[index] is { } template ? dialect.SchemaWords.Aggregate(template, (sql, word) => sql.Replace(word.Key, word.Value)) : null;
}
