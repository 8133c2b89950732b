using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Every field of every row, as the row types declare them (<see cref="RowShape{T}"/>): an insert keeps each, an
/// update writes each changeable one and leaves each [WrittenOnce] one as it was. So a field added to a row without its
/// migration, or with an engine that skips it, fails here on that engine.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Every_field_of_every_row_is_kept_by_an_insert_and_written_by_its_update_unless_written_once()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var content = new byte[] { 1, 2, 3 };

        var inbox = Filled(new InboxRow(), 1);
        var agent = Filled(new AgentRow(), 2);
        var contact = Filled(new ContactRow { InboxId = scene.InboxId }, 3);
        var conversation = Filled(new ConversationRow { InboxId = scene.InboxId, ContactId = scene.ContactId, AssigneeId = scene.AgentId }, 4);
        var message = Filled(new MessageRow { ConversationId = scene.ConversationId }, 5);
        var attachment = Filled(new AttachmentRow { InboxId = scene.InboxId, FileSize = content.Length }, 6, except: "file_size");
        var webhook = Filled(new WebhookRow(), 7);
        var label = Filled(new LabelRow(), 8);
        await store.WriteAsync(async w =>
        {
            inbox.Id = await w.InsertInboxAsync(inbox);
            agent.Id = await w.InsertAgentAsync(agent);
            contact.Id = await w.InsertContactAsync(contact);
            conversation.Id = await w.InsertConversationAsync(conversation);
            message.Id = await w.InsertMessageAsync(message);
            attachment.Id = await w.InsertAttachmentAsync(attachment, new MemoryStream(content));
            webhook.Id = await w.InsertWebhookAsync(webhook);
            label.Id = await w.InsertLabelAsync(label);
            return 0;
        });
        // A new conversation starts at seq 0, whatever the row said.
        (conversation.Seq, conversation.ContactSeq) = (0, 0);

        await store.ReadAsync(async r =>
        {
            AssertSameFields(inbox, await r.GetInboxAsync(inbox.Id));
            AssertSameFields(agent, await r.GetAgentAsync(agent.Id));
            AssertSameFields(contact, await r.GetContactAsync(contact.Id));
            AssertSameFields(conversation, await r.GetConversationAsync(conversation.Id));
            AssertSameFields(message, await r.GetMessageAsync(message.Id));
            AssertSameFields(attachment, await r.GetAttachmentAsync(attachment.Id));
            AssertSameFields(webhook, await r.GetWebhookAsync(webhook.Id));
            AssertSameFields(label, await r.GetLabelAsync(label.Id));
            return 0;
        });

        // Every field changed; the updates write what they may.
        var inbox2 = Filled(Copy(inbox), 11);
        var contact2 = Filled(Copy(contact), 13);
        var conversation2 = Filled(Copy(conversation), 14);
        var message2 = Filled(Copy(message), 15);
        var webhook2 = Filled(Copy(webhook), 17);
        var label2 = Filled(Copy(label), 18);
        await store.WriteAsync(async w =>
        {
            await w.UpdateInboxAsync(inbox2);
            await w.UpdateContactAsync(contact2);
            await w.RecordChangeAsync(conversation2, visibleToContact: true);
            await w.UpdateMessageAsync(message2);
            await w.UpdateWebhookAsync(webhook2);
            await w.UpdateLabelAsync(label2);
            return 0;
        });
        // RecordChange counts the seqs itself.
        Assert.Equal((1, 1), (conversation2.Seq, conversation2.ContactSeq));
        await store.ReadAsync(async r =>
        {
            AssertSameFields(Updated(inbox, inbox2), await r.GetInboxAsync(inbox.Id));
            AssertSameFields(Updated(contact, contact2), await r.GetContactAsync(contact.Id));
            AssertSameFields(Updated(conversation, conversation2), await r.GetConversationAsync(conversation.Id));
            AssertSameFields(Updated(message, message2), await r.GetMessageAsync(message.Id));
            AssertSameFields(Updated(webhook, webhook2), await r.GetWebhookAsync(webhook.Id));
            AssertSameFields(Updated(label, label2), await r.GetLabelAsync(label.Id));
            return 0;
        });
    }

    /// <summary>Sets every field but the ids and references (foreign keys stay valid) to a value of its own, never its
    /// type's default, different for each <paramref name="salt"/>.</summary>
    private static T Filled<T>(T row, int salt, params string[] except) where T : class, new()
    {
        foreach (var (field, index) in RowShape<T>.Instance.Fields.Select((f, i) => (f, i)))
        {
            if (field.Name == "id" || field.Name.EndsWith("_id", StringComparison.Ordinal) || except.Contains(field.Name)) continue;
            field.Set(row, field.ValueType == typeof(long) ? T0 + salt * 100 + index
                : field.ValueType == typeof(int) ? 1 + (salt + index) % 5
                : field.ValueType == typeof(bool) ? salt % 2 == 1
                : $"{field.Name}-{salt}-{Guid.NewGuid():N}");
        }
        return row;
    }

    private static T Copy<T>(T row) where T : class, new()
    {
        var copy = new T();
        foreach (var field in RowShape<T>.Instance.Fields) field.Set(copy, field.Get(row));
        return copy;
    }

    /// <summary>What an update of <paramref name="stored"/> to <paramref name="changed"/> leaves: the changed row, but
    /// for the fields written once.</summary>
    private static T Updated<T>(T stored, T changed) where T : class, new()
    {
        var expected = Copy(changed);
        foreach (var field in RowShape<T>.Instance.Fields.Where(f => f.WrittenOnce)) field.Set(expected, field.Get(stored));
        return expected;
    }

    private static void AssertSameFields<T>(T expected, T? actual) where T : class, new()
    {
        Assert.NotNull(actual);
        foreach (var field in RowShape<T>.Instance.Fields)
            Assert.True(Equals(field.Get(expected), field.Get(actual)),
                $"{typeof(T).Name}.{field.Property.Name}: expected {field.Get(expected) ?? "null"}, read {field.Get(actual) ?? "null"}");
    }
}
