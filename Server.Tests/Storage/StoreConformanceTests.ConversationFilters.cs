using ChatHub.Contracts;
using ChatHub.Server.Features.Conversations;
using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>The conversation list's label and search filters (Chatwoot's <c>labels</c> and <c>q</c>), on every engine:
/// any of the labels, exact titles only; the conversation's id or a part of its contact's fields, ignoring ASCII case.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Conversation_lists_keep_those_with_any_of_the_labels_or_matching_the_search_and_count_them()
    {
        var store = await FreshStoreAsync();
        var inbox = await store.WriteAsync(w => w.InsertInboxAsync(NewInbox()));
        ContactRow Contact(string name, string? email = null, string? phone = null, string? identifier = null)
        {
            var c = NewContact(inbox);
            (c.Name, c.Email, c.PhoneNumber, c.Identifier) = (name, email, phone, identifier);
            return c;
        }
        var (ann, bob) = await store.WriteAsync(async w => (
            await w.InsertContactAsync(Contact("Ann Lee", "ANN@Example.com")),
            await w.InsertContactAsync(Contact("Bob_Smith", phone: "+66 66", identifier: "crm-xy"))));
        ConversationRow Conversation(long contactId, long lastActivityAt, params string[] labels)
        {
            var c = NewConversation(inbox, contactId);
            (c.Status, c.LastActivityAt, c.Labels) = (ConversationStatuses.Open, lastActivityAt, ConversationLabels.Format(labels));
            return c;
        }
        var (vipBilling, billing, vipOfBob, unlabelled, accented) = await store.WriteAsync(async w => (
            await w.InsertConversationAsync(Conversation(ann, T0 + 50, "vip", "billing")),
            await w.InsertConversationAsync(Conversation(ann, T0 + 40, "billing")),
            await w.InsertConversationAsync(Conversation(bob, T0 + 30, "vip")),
            await w.InsertConversationAsync(Conversation(bob, T0 + 20)),
            await w.InsertConversationAsync(Conversation(bob, T0 + 10, "vip_2", "café"))));

        async Task AssertListed(long[] expected, IReadOnlyList<string>? labels = null, string? search = null)
        {
            var (page, total) = await store.ReadAsync(r => r.ListConversationsAsync(
                new ConversationFilter([inbox], null, null, false, 0, 50, Labels: labels, Search: search)));
            Assert.Equal(expected, page.Select(c => c.Id));
            Assert.Equal(expected.Length, total);
        }
        await AssertListed([vipBilling, vipOfBob], labels: ["vip"]); // not "vip_2": a whole title, '_' no wildcard
        await AssertListed([vipBilling, billing, vipOfBob], labels: ["vip", "billing"]); // any of them
        await AssertListed([accented], labels: ["café"]);
        await AssertListed([accented], labels: ["vip_2", "unknown"]);
        await AssertListed([], labels: ["vi"]);
        await AssertListed([vipBilling, billing, vipOfBob, unlabelled, accented], labels: []);

        await AssertListed([vipBilling, billing], search: "ann");
        await AssertListed([vipBilling, billing], search: "EXAMPLE.COM");
        await AssertListed([vipOfBob, unlabelled, accented], search: "+66 6");
        await AssertListed([vipOfBob, unlabelled, accented], search: "crm-x");
        await AssertListed([vipOfBob, unlabelled, accented], search: "b_s");
        await AssertListed([], search: "b%s");
        await AssertListed([billing], search: billing.ToString()); // the conversation's id (a fresh store's ids hold no 6), not the contact's
        await AssertListed([vipOfBob], labels: ["vip"], search: "bob"); // both filters at once
        // A count only (limit 0) keeps the same conversations.
        var (none, counted) = await store.ReadAsync(r => r.ListConversationsAsync(
            new ConversationFilter([inbox], ConversationStatuses.Open, null, true, 0, 0, Labels: ["billing"], Search: "lee")));
        Assert.Empty(none);
        Assert.Equal(2, counted);
    }
}
