using System.Collections.Concurrent;
using ChatHub.Contracts;
using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Where one test's database lives: an engine's fixture creates an empty one, a store can be opened on it
/// several times (one after another, or several instances at once, as nodes sharing it), and disposing it deletes
/// it (every store on it is closed first).</summary>
public interface IStoreLocation : IAsyncDisposable
{
}

/// <summary>The store conformance suite: what <see cref="IChatStore"/> promises (its doc comments), checked through
/// the contract only, on real databases. Each engine runs it by deriving one fixture class (SqliteStoreTests now;
/// PostgreSQL and LiteDB next) that says how to make an empty database and open a store on it. Nothing here knows
/// an engine: the one check that needs the engine's own view (the schema version) is an abstract hook.
/// No timing thresholds: concurrency is forced by starting many writes at once, never by waiting.</summary>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    // ---- what an engine's fixture provides

    /// <summary>A new, empty database (no schema yet: opening the first store on it migrates it).</summary>
    protected abstract Task<IStoreLocation> NewLocationAsync();

    /// <summary>Opens a store on <paramref name="location"/>, migrating it if needed. May be called again after the
    /// previous store was closed (reopen), and while others are open on it (several nodes, one database).</summary>
    protected abstract Task<IChatStore> OpenAsync(IStoreLocation location);

    /// <summary>Closes a store gracefully: writes already handed to it commit first.</summary>
    protected virtual async Task CloseAsync(IChatStore store) => await ((IAsyncDisposable)store).DisposeAsync();

    /// <summary>The schema version recorded in the database, read by the engine's own means (no store open).</summary>
    protected abstract Task<int> SchemaVersionAsync(IStoreLocation location);

    /// <summary>How many migrations the engine has, i.e. the version a migrated database must be at.</summary>
    protected abstract int LatestSchemaVersion { get; }

    /// <summary>Whether several stores may be open on one database at once (several nodes). An engine that allows one
    /// store per database (LiteDB: one process per file) must refuse a second open with a one-line
    /// <see cref="StorageConfigurationException"/>; the tests that share a database then share the one store.</summary>
    protected virtual bool SeveralStoresPerDatabase => true;

    // ---- stores and databases of one test, all closed and deleted after it

    private readonly List<IStoreLocation> _locations = [];
    private readonly List<IChatStore> _openStores = [];

    protected async Task<IStoreLocation> LocationAsync()
    {
        var location = await NewLocationAsync();
        lock (_locations) _locations.Add(location);
        return location;
    }

    protected async Task<IChatStore> OpenStoreAsync(IStoreLocation location)
    {
        var store = await OpenAsync(location);
        lock (_openStores) _openStores.Add(store);
        return store;
    }

    protected async Task CloseStoreAsync(IChatStore store)
    {
        lock (_openStores) _openStores.Remove(store);
        await CloseAsync(store);
    }

    protected async Task<IChatStore> FreshStoreAsync() => await OpenStoreAsync(await LocationAsync());

    /// <summary>Another store on the database <paramref name="open"/> is open on: a new one, or, where the engine allows
    /// one store per database, <paramref name="open"/> itself once a second open was refused.</summary>
    protected async Task<IChatStore> AnotherStoreAsync(IStoreLocation location, IChatStore open)
    {
        if (SeveralStoresPerDatabase) return await OpenStoreAsync(location);
        await AssertSecondOpenRefusedAsync(location);
        return open;
    }

    /// <summary>One store per database: of <paramref name="count"/> racing opens exactly one wins, the others are
    /// refused in one line.</summary>
    private async Task<IChatStore[]> OneOfRacingOpensAsync(IStoreLocation location, int count)
    {
        var opens = Race(count, _ => OpenStoreAsync(location));
        await Task.WhenAll(opens).ContinueWith(_ => { }, TaskScheduler.Default);
        var refusals = opens.Where(o => o.IsFaulted).Select(o => o.Exception!.InnerException).ToList();
        Assert.Equal(count - 1, refusals.Count);
        Assert.All(refusals, e => Assert.DoesNotContain('\n', Assert.IsType<StorageConfigurationException>(e).Message));
        return [opens.Single(o => o.IsCompletedSuccessfully).Result];
    }

    private async Task AssertSecondOpenRefusedAsync(IStoreLocation location)
    {
        var refused = await Assert.ThrowsAsync<StorageConfigurationException>(() => OpenStoreAsync(location));
        Assert.DoesNotContain('\n', refused.Message);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _openStores.ToList()) await CloseAsync(store);
        foreach (var location in _locations) await location.DisposeAsync();
    }

    // ---- 1. rows round-trip

    [Fact]
    public async Task Inbox_rows_round_trip_every_field_with_nullable_fields_null_and_set()
    {
        var store = await FreshStoreAsync();
        Assert.False(await store.ReadAsync(r => r.AnyInboxAsync()));

        var bare = new InboxRow { Identifier = Unique("bare"), Name = "Bare", HmacToken = "hmac-1", CreatedAt = T0 };
        var full = new InboxRow
        {
            Identifier = Unique("full"), Name = "Support — café ☕", HmacToken = "hmac-2", HmacMandatory = true, Timezone = "Europe/Paris",
            WorkingHoursEnabled = true, WorkingHours = """[{"day_of_week":1,"open_hour":9}]""", GreetingEnabled = true,
            GreetingMessage = "Bonjour 👋, 你好", CreatedAt = T0 + 1,
        };
        (bare.Id, full.Id) = await store.WriteAsync(async w => (await w.InsertInboxAsync(bare), await w.InsertInboxAsync(full)));

        Assert.NotEqual(bare.Id, full.Id);
        foreach (var inbox in new[] { bare, full })
        {
            AssertRow(inbox, await store.ReadAsync(r => r.GetInboxAsync(inbox.Id)));
            AssertRow(inbox, await store.ReadAsync(r => r.FindInboxByIdentifierAsync(inbox.Identifier)));
        }
        var listed = await store.ReadAsync(r => r.ListInboxesAsync());
        Assert.Equal(2, listed.Count);
        AssertRow(bare, listed.Single(i => i.Id == bare.Id));
        AssertRow(full, listed.Single(i => i.Id == full.Id));
        Assert.True(await store.ReadAsync(r => r.AnyInboxAsync()));
        Assert.Null(await store.ReadAsync(r => r.GetInboxAsync(full.Id + 1000)));
        Assert.Null(await store.ReadAsync(r => r.FindInboxByIdentifierAsync("no-such-inbox")));
    }

    [Fact]
    public async Task Agent_rows_round_trip_and_membership_and_availability_are_kept()
    {
        var store = await FreshStoreAsync();
        var key = Unique("agent");
        var ann = new AgentRow
        {
            Name = "Ann Ångström", Email = $"ann.{key}@example.com", Role = "administrator", AccessTokenHash = $"ath-ann-{key}",
            PubsubToken = $"pst-ann-{key}", Availability = "online", CreatedAt = T0,
        };
        var bob = new AgentRow { Name = "Bob", Email = $"bob.{key}@example.com", AccessTokenHash = $"ath-bob-{key}", PubsubToken = $"pst-bob-{key}", CreatedAt = T0 + 1 };
        var (inbox1, inbox2) = await store.WriteAsync(async w =>
        {
            ann.Id = await w.InsertAgentAsync(ann);
            bob.Id = await w.InsertAgentAsync(bob);
            var inbox1 = await w.InsertInboxAsync(NewInbox());
            var inbox2 = await w.InsertInboxAsync(NewInbox());
            await w.AddMemberAsync(inbox1, ann.Id);
            await w.AddMemberAsync(inbox1, bob.Id);
            await w.AddMemberAsync(inbox2, ann.Id);
            // Adding a member again is no error (AddMembers adds whoever it is given).
            await w.AddMemberAsync(inbox2, ann.Id);
            return (inbox1, inbox2);
        });

        foreach (var agent in new[] { ann, bob })
        {
            AssertRow(agent, await store.ReadAsync(r => r.GetAgentAsync(agent.Id)));
            AssertRow(agent, await store.ReadAsync(r => r.FindAgentByEmailAsync(agent.Email)));
            AssertRow(agent, await store.ReadAsync(r => r.FindAgentByTokenHashAsync(agent.AccessTokenHash)));
        }
        // Emails are unique whatever their case: CreateAgent's duplicate check relies on this lookup.
        AssertRow(ann, await store.ReadAsync(r => r.FindAgentByEmailAsync(ann.Email.ToUpperInvariant())));
        Assert.Null(await store.ReadAsync(r => r.FindAgentByEmailAsync("nobody@example.com")));
        Assert.Null(await store.ReadAsync(r => r.FindAgentByTokenHashAsync("no-such-hash")));
        // The administrators' list: every agent, whole rows, by id.
        var listed = await store.ReadAsync(r => r.ListAgentsAsync());
        Assert.Equal([ann.Id, bob.Id], listed.Select(a => a.Id));
        AssertRow(ann, listed[0]);
        AssertRow(bob, listed[1]);

        Assert.Equal([ann.Id, bob.Id], (await store.ReadAsync(r => r.MembersOfAsync(inbox1))).Order());
        Assert.Equal([ann.Id], await store.ReadAsync(r => r.MembersOfAsync(inbox2)));
        Assert.Equal([inbox1, inbox2], (await store.ReadAsync(r => r.InboxIdsOfAgentAsync(ann.Id))).Order());
        Assert.Equal([inbox1], await store.ReadAsync(r => r.InboxIdsOfAgentAsync(bob.Id)));
        Assert.True(await store.ReadAsync(r => r.IsMemberAsync(inbox2, ann.Id)));
        Assert.False(await store.ReadAsync(r => r.IsMemberAsync(inbox2, bob.Id)));

        // Removal: only that membership goes; removing one that is not there is no error, and says so.
        Assert.True(await store.WriteAsync(w => w.RemoveMemberAsync(inbox1, ann.Id)));
        Assert.False(await store.WriteAsync(w => w.RemoveMemberAsync(inbox1, ann.Id)));
        Assert.Equal([bob.Id], await store.ReadAsync(r => r.MembersOfAsync(inbox1)));
        Assert.Equal([inbox2], await store.ReadAsync(r => r.InboxIdsOfAgentAsync(ann.Id)));
        Assert.False(await store.ReadAsync(r => r.IsMemberAsync(inbox1, ann.Id)));

        await store.WriteAsync(async w => { await w.SetAvailabilityAsync(bob.Id, "busy"); return 0; });
        bob.Availability = "busy";
        AssertRow(bob, await store.ReadAsync(r => r.GetAgentAsync(bob.Id)));
        AssertRow(ann, await store.ReadAsync(r => r.GetAgentAsync(ann.Id)));

        // A token reset replaces both tokens: the old access token finds nobody, the new one finds the agent.
        var oldHash = bob.AccessTokenHash;
        await store.WriteAsync(async w => { await w.SetAgentTokensAsync(bob.Id, $"ath-bob2-{key}", $"pst-bob2-{key}"); return 0; });
        (bob.AccessTokenHash, bob.PubsubToken) = ($"ath-bob2-{key}", $"pst-bob2-{key}");
        AssertRow(bob, await store.ReadAsync(r => r.GetAgentAsync(bob.Id)));
        AssertRow(bob, await store.ReadAsync(r => r.FindAgentByTokenHashAsync(bob.AccessTokenHash)));
        Assert.Null(await store.ReadAsync(r => r.FindAgentByTokenHashAsync(oldHash)));
        AssertRow(ann, await store.ReadAsync(r => r.GetAgentAsync(ann.Id)));
    }

    [Fact]
    public async Task Contact_rows_round_trip_and_updates_write_every_mutable_field()
    {
        var store = await FreshStoreAsync();
        var (inbox1, inbox2) = await store.WriteAsync(async w => (await w.InsertInboxAsync(NewInbox()), await w.InsertInboxAsync(NewInbox())));
        var bare = NewContact(inbox1, "shared-source");
        var full = new ContactRow
        {
            InboxId = inbox1, SourceId = Unique("src"), PubsubToken = Unique("pst"), PubsubTokenHash = Unique("psth"), Name = "Zoë O'Brien",
            Email = "zoe@example.com", PhoneNumber = "+33 6 12 34 56 78", Identifier = "user-42", CustomAttributes = """{"plan":"pro","seats":3}""",
            HmacVerified = true, CreatedAt = T0 + 5,
        };
        // The same source id in another inbox is another contact.
        var elsewhere = NewContact(inbox2, "shared-source");
        await store.WriteAsync(async w =>
        {
            foreach (var contact in new[] { bare, full, elsewhere }) contact.Id = await w.InsertContactAsync(contact);
            return 0;
        });

        foreach (var contact in new[] { bare, full, elsewhere })
        {
            AssertRow(contact, await store.ReadAsync(r => r.GetContactAsync(contact.Id)));
            AssertRow(contact, await store.ReadAsync(r => r.FindContactBySourceIdAsync(contact.InboxId, contact.SourceId)));
            AssertRow(contact, await store.ReadAsync(r => r.FindContactByTokenHashAsync(contact.PubsubTokenHash)));
        }
        Assert.Null(await store.ReadAsync(r => r.FindContactBySourceIdAsync(inbox2, full.SourceId)));
        Assert.Null(await store.ReadAsync(r => r.FindContactByTokenHashAsync("no-such-hash")));

        // Updates: the bare one gets every field, the full one loses every nullable one.
        (bare.Name, bare.Email, bare.PhoneNumber, bare.Identifier, bare.CustomAttributes, bare.HmacVerified) =
            ("Now named", "named@example.com", "+1 555 0100", "user-7", """{"vip":true}""", true);
        (full.Name, full.Email, full.PhoneNumber, full.Identifier, full.CustomAttributes, full.HmacVerified) =
            (null, null, null, null, null, false);
        await store.WriteAsync(async w => { await w.UpdateContactAsync(bare); await w.UpdateContactAsync(full); return 0; });
        AssertRow(bare, await store.ReadAsync(r => r.GetContactAsync(bare.Id)));
        AssertRow(full, await store.ReadAsync(r => r.GetContactAsync(full.Id)));
        AssertRow(elsewhere, await store.ReadAsync(r => r.GetContactAsync(elsewhere.Id)));
    }

    [Fact]
    public async Task Conversation_rows_round_trip_and_a_recorded_change_writes_every_mutable_field()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var bare = new ConversationRow
        {
            Uuid = Guid.NewGuid().ToString(), InboxId = scene.InboxId, ContactId = scene.ContactId, Status = ConversationStatuses.Open,
            CreatedAt = T0, LastActivityAt = T0,
        };
        var full = new ConversationRow
        {
            Uuid = Guid.NewGuid().ToString(), InboxId = scene.InboxId, ContactId = scene.ContactId, Status = ConversationStatuses.Pending,
            AssigneeId = scene.AgentId, CustomAttributes = """{"order":"A-17","tags":["ünïcode"]}""", ContactLastSeenAt = T0 + 3,
            AgentLastSeenAt = T0 + 4, CreatedAt = T0 + 1, LastActivityAt = T0 + 5,
            // A new conversation starts at seq 0 whatever the row says.
            Seq = 7, ContactSeq = 3,
        };
        await store.WriteAsync(async w =>
        {
            bare.Id = await w.InsertConversationAsync(bare);
            full.Id = await w.InsertConversationAsync(full);
            return 0;
        });
        (full.Seq, full.ContactSeq) = (0, 0);
        AssertRow(bare, await store.ReadAsync(r => r.GetConversationAsync(bare.Id)));
        AssertRow(full, await store.ReadAsync(r => r.GetConversationAsync(full.Id)));

        // A change sets every mutable field (nullable ones set on one, cleared on the other) and takes the next seqs.
        var changedBare = await store.WriteAsync(async w =>
        {
            var c = (await w.GetConversationForUpdateAsync(bare.Id))!;
            AssertRow(bare, c);
            (c.Status, c.AssigneeId, c.CustomAttributes, c.ContactLastSeenAt, c.AgentLastSeenAt, c.LastActivityAt) =
                (ConversationStatuses.Resolved, scene.AgentId, """{"k":"v"}""", T0 + 10, T0 + 11, T0 + 12);
            await w.RecordChangeAsync(c, visibleToContact: true);
            Assert.Equal((1, 1), (c.Seq, c.ContactSeq));
            return c;
        });
        var changedFull = await store.WriteAsync(async w =>
        {
            var c = (await w.GetConversationForUpdateAsync(full.Id))!;
            (c.Status, c.AssigneeId, c.CustomAttributes, c.ContactLastSeenAt, c.AgentLastSeenAt, c.LastActivityAt) =
                (ConversationStatuses.Open, null, null, null, null, T0 + 20);
            await w.RecordChangeAsync(c, visibleToContact: false);
            Assert.Equal((1, 0), (c.Seq, c.ContactSeq));
            return c;
        });
        AssertRow(changedBare, await store.ReadAsync(r => r.GetConversationAsync(bare.Id)));
        AssertRow(changedFull, await store.ReadAsync(r => r.GetConversationAsync(full.Id)));
        Assert.Null(await store.ReadAsync(r => r.GetConversationAsync(full.Id + 1000)));
        Assert.Null(await store.WriteAsync(w => w.GetConversationForUpdateAsync(full.Id + 1000)));
    }

    [Fact]
    public async Task Conversation_lists_come_newest_activity_first_filtered_paged_and_counted()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store); // its conversation: inbox 1, open, unassigned, activity T0
        var (agent2, inbox2, contact2) = await store.WriteAsync(async w =>
        {
            var agent2 = await w.InsertAgentAsync(NewAgent());
            await w.AddMemberAsync(scene.InboxId, agent2);
            var inbox2 = await w.InsertInboxAsync(NewInbox());
            return (agent2, inbox2, await w.InsertContactAsync(NewContact(inbox2)));
        });
        ConversationRow Conversation(long inboxId, long contactId, string status, long? assigneeId, long lastActivityAt)
        {
            var c = NewConversation(inboxId, contactId);
            (c.Status, c.AssigneeId, c.LastActivityAt) = (status, assigneeId, lastActivityAt);
            return c;
        }
        var (assigned, resolved, inOtherInbox, older) = await store.WriteAsync(async w => (
            await w.InsertConversationAsync(Conversation(scene.InboxId, scene.ContactId, ConversationStatuses.Open, scene.AgentId, T0 + 20)),
            await w.InsertConversationAsync(Conversation(scene.InboxId, scene.ContactId, ConversationStatuses.Resolved, agent2, T0 + 30)),
            await w.InsertConversationAsync(Conversation(inbox2, contact2, ConversationStatuses.Open, null, T0 + 40)),
            await w.InsertConversationAsync(Conversation(scene.InboxId, scene.ContactId, ConversationStatuses.Pending, null, T0 - 5))));
        var first = scene.ConversationId;

        async Task AssertListed(long[] expectedPage, int expectedTotal, ConversationFilter filter)
        {
            var (page, total) = await store.ReadAsync(r => r.ListConversationsAsync(filter));
            Assert.Equal(expectedPage, page.Select(c => c.Id));
            Assert.Equal(expectedTotal, total);
        }
        await AssertListed([resolved, assigned, first, older], 4, new([scene.InboxId], null, null, false, 0, 50));
        await AssertListed([assigned, first], 2, new([scene.InboxId], ConversationStatuses.Open, null, false, 0, 50));
        await AssertListed([assigned], 1, new([scene.InboxId], null, scene.AgentId, false, 0, 50));
        await AssertListed([first, older], 2, new([scene.InboxId], null, null, true, 0, 50));
        await AssertListed([resolved, assigned], 2, new([scene.InboxId], null, null, false, 0, 50, AssignedOnly: true));
        await AssertListed([resolved, assigned], 5, new([scene.InboxId, inbox2], null, null, false, 1, 2));
        await AssertListed([], 0, new([], null, null, false, 0, 50));

        var ofContact = await store.ReadAsync(r => r.ListConversationsOfContactAsync(scene.ContactId));
        Assert.Equal([resolved, assigned, first, older], ofContact.Select(c => c.Id));
        Assert.Equal([inOtherInbox], (await store.ReadAsync(r => r.ListConversationsOfContactAsync(contact2))).Select(c => c.Id));
    }

    [Fact]
    public async Task Contact_lists_come_newest_first_by_inbox_searched_ignoring_ascii_case_paged_and_counted()
    {
        var store = await FreshStoreAsync();
        ContactRow Contact(long inboxId, string? name, string? email = null, string? phone = null, string? identifier = null)
        {
            var c = NewContact(inboxId);
            (c.Name, c.Email, c.PhoneNumber, c.Identifier) = (name, email, phone, identifier);
            return c;
        }
        var (inbox1, inbox2, inbox3) = await store.WriteAsync(async w =>
            (await w.InsertInboxAsync(NewInbox()), await w.InsertInboxAsync(NewInbox()), await w.InsertInboxAsync(NewInbox())));
        var (ann, bob, percent, other, emile) = await store.WriteAsync(async w => (
            await w.InsertContactAsync(Contact(inbox1, "Ann Lee", "ANN@Example.com")),
            await w.InsertContactAsync(Contact(inbox1, "Bob", phone: "+33 123", identifier: "crm-42")),
            await w.InsertContactAsync(Contact(inbox1, "100% real_name")),
            await w.InsertContactAsync(Contact(inbox2, "Annie")),
            await w.InsertContactAsync(Contact(inbox1, "Émile"))));

        async Task AssertListed(long[] expectedPage, int expectedTotal, ContactFilter filter)
        {
            var (page, total) = await store.ReadAsync(r => r.ListContactsAsync(filter));
            Assert.Equal(expectedPage, page.Select(c => c.Id));
            Assert.Equal(expectedTotal, total);
        }
        await AssertListed([emile, percent, bob, ann], 4, new([inbox1], null, 0, 50));
        await AssertListed([emile, other, percent, bob, ann], 5, new(null, null, 0, 50));
        await AssertListed([percent, bob], 4, new([inbox1], null, 1, 2));
        await AssertListed([], 0, new([], null, 0, 50));
        await AssertListed([], 0, new([inbox3], null, 0, 50));
        await AssertListed([ann], 1, new([inbox1], "aNN", 0, 50)); // name and email, ASCII case ignored
        await AssertListed([other, ann], 2, new(null, "ann", 0, 50));
        await AssertListed([ann], 1, new([inbox1], "example.COM", 0, 50));
        await AssertListed([bob], 1, new([inbox1], "+33 1", 0, 50));
        await AssertListed([bob], 1, new([inbox1], "CRM-4", 0, 50));
        await AssertListed([percent], 1, new([inbox1], "0% real_", 0, 50)); // % and _ are themselves
        await AssertListed([], 0, new([inbox1], "a_n", 0, 50));
        await AssertListed([emile], 1, new([inbox1], "Émi", 0, 50));
        await AssertListed([bob], 1, new([inbox1], bob.ToString(), 0, 50)); // the id
        Assert.DoesNotContain(other, (await store.ReadAsync(r => r.ListContactsAsync(new([inbox1], other.ToString(), 0, 50)))).Page.Select(c => c.Id));
    }

    [Fact]
    public async Task Message_rows_round_trip_and_updates_write_attributes_seqs_and_update_time()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var second = await store.WriteAsync(w => w.InsertConversationAsync(NewConversation(scene.InboxId, scene.ContactId)));
        var (bare, full, note) = await store.WriteAsync(async w =>
        {
            var c = (await w.GetConversationForUpdateAsync(scene.ConversationId))!;
            await w.RecordChangeAsync(c, visibleToContact: false);
            // An activity line: no contact seq, no sender, no echo, no attributes.
            var bare = new MessageRow
            {
                ConversationId = c.Id, Seq = c.Seq, MessageType = MessageTypes.Activity, Content = "Conversation was resolved",
                CreatedAt = T0, UpdatedAt = T0,
            };
            bare.Id = await w.InsertMessageAsync(bare);
            await w.RecordChangeAsync(c, visibleToContact: true);
            var full = new MessageRow
            {
                ConversationId = c.Id, Seq = c.Seq, ContactSeq = c.ContactSeq, MessageType = MessageTypes.Outgoing, Content = "Pick one: 🍕 or 🍣?",
                ContentType = "input_select", ContentAttributes = """{"items":[{"title":"🍕","value":"pizza"}]}""", EchoId = Unique("echo"),
                SenderType = SenderTypes.Agent, SenderId = scene.AgentId, CreatedAt = T0 + 1, UpdatedAt = T0 + 2,
            };
            full.Id = await w.InsertMessageAsync(full);
            await w.RecordChangeAsync(c, visibleToContact: false);
            var note = new MessageRow
            {
                ConversationId = c.Id, Seq = c.Seq, MessageType = MessageTypes.Outgoing, Content = "internal: VIP", Private = true,
                EchoId = Unique("echo"), SenderType = SenderTypes.Agent, SenderId = scene.AgentId, CreatedAt = T0 + 3, UpdatedAt = T0 + 3,
            };
            note.Id = await w.InsertMessageAsync(note);
            return (bare, full, note);
        });

        foreach (var message in new[] { bare, full, note }) AssertRow(message, await store.ReadAsync(r => r.GetMessageAsync(message.Id)));
        AssertRow(full, await store.ReadAsync(r => r.FindMessageByEchoAsync(scene.ConversationId, SenderTypes.Agent, scene.AgentId, full.EchoId!)));
        AssertRow(note, await store.ReadAsync(r => r.FindMessageByEchoAsync(scene.ConversationId, SenderTypes.Agent, scene.AgentId, note.EchoId!)));
        // The echo key is (conversation, sender type, sender id, echo id): change any part and there is no original.
        Assert.Null(await store.ReadAsync(r => r.FindMessageByEchoAsync(second, SenderTypes.Agent, scene.AgentId, full.EchoId!)));
        Assert.Null(await store.ReadAsync(r => r.FindMessageByEchoAsync(scene.ConversationId, SenderTypes.Contact, scene.AgentId, full.EchoId!)));
        Assert.Null(await store.ReadAsync(r => r.FindMessageByEchoAsync(scene.ConversationId, SenderTypes.Agent, scene.AgentId + 1000, full.EchoId!)));
        Assert.Null(await store.ReadAsync(r => r.FindMessageByEchoAsync(scene.ConversationId, SenderTypes.Agent, scene.AgentId, "other-echo")));
        Assert.Null(await store.ReadAsync(r => r.GetMessageAsync(note.Id + 1000)));

        // An update (a submitted answer) writes the attributes, both seqs and the update time.
        var updated = await store.WriteAsync(async w =>
        {
            var c = (await w.GetConversationForUpdateAsync(scene.ConversationId))!;
            var m = (await w.GetMessageAsync(full.Id))!;
            await w.RecordChangeAsync(c, visibleToContact: true);
            (m.ContentAttributes, m.Seq, m.ContactSeq, m.UpdatedAt) = ("""{"submitted_values":[{"value":"pizza"}]}""", c.Seq, c.ContactSeq, T0 + 9);
            await w.UpdateMessageAsync(m);
            return m;
        });
        Assert.Equal((4, 2), (updated.Seq, updated.ContactSeq));
        AssertRow(updated, await store.ReadAsync(r => r.GetMessageAsync(full.Id)));
        // An update can also clear them (a message leaving the contact's stream).
        var cleared = await store.WriteAsync(async w =>
        {
            var c = (await w.GetConversationForUpdateAsync(scene.ConversationId))!;
            var m = (await w.GetMessageAsync(full.Id))!;
            await w.RecordChangeAsync(c, visibleToContact: false);
            (m.ContentAttributes, m.Seq, m.ContactSeq, m.UpdatedAt) = (null, c.Seq, null, T0 + 10);
            await w.UpdateMessageAsync(m);
            return m;
        });
        AssertRow(cleared, await store.ReadAsync(r => r.GetMessageAsync(full.Id)));
        AssertRow(bare, await store.ReadAsync(r => r.GetMessageAsync(bare.Id)));
    }

    [Fact]
    public async Task The_conversation_a_contact_started_is_found_by_its_first_messages_echoId_only()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        await AppendAsync(store, scene.ConversationId, "first", echoId: "start-1", sender: (SenderTypes.Contact, scene.ContactId));
        await AppendAsync(store, scene.ConversationId, "second", echoId: "later-1", sender: (SenderTypes.Contact, scene.ContactId));
        await AppendAsync(store, scene.ConversationId, "reply", echoId: "agent-1", sender: (SenderTypes.Agent, scene.AgentId));

        Assert.Equal(scene.ConversationId, await store.ReadAsync(r => r.FindConversationStartedWithAsync(scene.ContactId, "start-1")));
        Assert.Null(await store.ReadAsync(r => r.FindConversationStartedWithAsync(scene.ContactId, "later-1")));
        Assert.Null(await store.ReadAsync(r => r.FindConversationStartedWithAsync(scene.ContactId, "agent-1")));
        Assert.Null(await store.ReadAsync(r => r.FindConversationStartedWithAsync(scene.ContactId, "never-sent")));
        Assert.Null(await store.ReadAsync(r => r.FindConversationStartedWithAsync(scene.ContactId + 1000, "start-1")));
    }

    [Fact]
    public async Task Lookups_by_key_match_exactly_case_included_except_agent_emails()
    {
        // Identifiers, source ids and tokens are base64url (case carries their entropy) and echoIds are the
        // client's: an engine whose default collation ignores case must not use it for these.
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var inbox = (await store.ReadAsync(r => r.GetInboxAsync(scene.InboxId)))!;
        var agent = (await store.ReadAsync(r => r.GetAgentAsync(scene.AgentId)))!;
        var contact = (await store.ReadAsync(r => r.GetContactAsync(scene.ContactId)))!;
        contact.Identifier = "User-Abc";
        contact.HmacVerified = true;
        await store.WriteAsync(async w => { await w.UpdateContactAsync(contact); return 0; });
        var lower = await AppendAsync(store, scene.ConversationId, "lower", echoId: "echo-abc");
        var upper = await AppendAsync(store, scene.ConversationId, "upper", echoId: "ECHO-ABC");
        Assert.NotEqual(lower.Id, upper.Id);

        static string Flip(string s) => new(s.Select(ch => char.IsUpper(ch) ? char.ToLowerInvariant(ch) : char.ToUpperInvariant(ch)).ToArray());
        Assert.Null(await store.ReadAsync(r => r.FindInboxByIdentifierAsync(Flip(inbox.Identifier))));
        Assert.Null(await store.ReadAsync(r => r.FindContactBySourceIdAsync(inbox.Id, Flip(contact.SourceId))));
        Assert.Null(await store.ReadAsync(r => r.FindContactByTokenHashAsync(Flip(contact.PubsubTokenHash))));
        Assert.Null(await store.ReadAsync(r => r.FindAgentByTokenHashAsync(Flip(agent.AccessTokenHash))));
        Assert.Null(await store.ReadAsync(r => r.FindVerifiedContactByIdentifierAsync(inbox.Id, "user-abc")));
        AssertRow(contact, await store.ReadAsync(r => r.FindVerifiedContactByIdentifierAsync(inbox.Id, "User-Abc")));
        AssertRow(lower, await store.ReadAsync(r => r.FindMessageByEchoAsync(scene.ConversationId, SenderTypes.Contact, scene.ContactId, "echo-abc")));
        AssertRow(upper, await store.ReadAsync(r => r.FindMessageByEchoAsync(scene.ConversationId, SenderTypes.Contact, scene.ContactId, "ECHO-ABC")));
        AssertRow(agent, await store.ReadAsync(r => r.FindAgentByEmailAsync(Flip(agent.Email))));
    }

    // ---- 2. concurrent appends take gap-free seqs

    [Fact]
    public async Task Concurrent_appends_take_seqs_1_to_N_without_gaps_or_duplicates()
    {
        const int n = 200;
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);

        var appended = await Task.WhenAll(Race(n, i => AppendAsync(store, scene.ConversationId, $"message {i}")));

        Assert.Equal(Seqs(1, n), appended.Select(m => m.Seq).Order());
        Assert.Equal(Seqs(1, n), appended.Select(m => m.ContactSeq!.Value).Order());
        Assert.Equal(n, appended.Select(m => m.Id).Distinct().Count());
        var c = (await store.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)))!;
        Assert.Equal((n, n), (c.Seq, c.ContactSeq));
        var stored = await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(scene.ConversationId, null, 0, n + 10, false)));
        Assert.Equal(Seqs(1, n), stored.Select(m => m.Seq));
        foreach (var m in stored) AssertRow(appended.Single(a => a.Id == m.Id), m);
    }

    // ---- 3. the contact's seq stream skips private notes and activity lines

    [Fact]
    public async Task The_contacts_seq_stream_skips_private_notes_and_activity_lines()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var kinds = new[] { Kind.Visible, Kind.PrivateNote, Kind.Visible, Kind.Activity, Kind.PrivateNote, Kind.Visible };
        var expected = new[] { (1, 1), (2, 1), (3, 2), (4, 2), (5, 2), (6, 3) };
        for (var i = 0; i < kinds.Length; i++)
        {
            var m = await AppendAsync(store, scene.ConversationId, $"step {i}", kinds[i]);
            var c = (await store.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)))!;
            Assert.Equal(expected[i], ((int)c.Seq, (int)c.ContactSeq));
            Assert.Equal(kinds[i] == Kind.Visible ? c.ContactSeq : null, m.ContactSeq);
        }

        // And under concurrency: 90 changes at once, a third private notes and a third activity lines.
        var appended = await Task.WhenAll(Race(90, i => AppendAsync(store, scene.ConversationId, $"burst {i}", (Kind)(i % 3))));
        var visible = appended.Where(m => !m.Private && m.MessageType != MessageTypes.Activity).ToList();
        Assert.Equal(30, visible.Count);
        Assert.Equal(Seqs(4, 33), visible.Select(m => m.ContactSeq!.Value).Order());
        Assert.Equal(Seqs(7, 96), appended.Select(m => m.Seq).Order());
        var conversation = (await store.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)))!;
        Assert.Equal((96, 33), (conversation.Seq, conversation.ContactSeq));

        var contactView = await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(scene.ConversationId, null, 0, 500, ForContact: true)));
        Assert.Equal(Seqs(1, 33), contactView.Select(m => m.ContactSeq!.Value));
        Assert.All(contactView, m => Assert.False(m.Private || m.MessageType == MessageTypes.Activity));
        var newestForContact = await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(scene.ConversationId, null, null, 500, ForContact: true)));
        Assert.Equal(contactView.Select(m => m.Id).Order(), newestForContact.Select(m => m.Id));
        var agentView = await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(scene.ConversationId, null, 0, 500, ForContact: false)));
        Assert.Equal(Seqs(1, 96), agentView.Select(m => m.Seq));
    }

    // ---- 4. concurrent duplicate echoIds store one message

    [Fact]
    public async Task Concurrent_writes_with_the_same_echoId_store_one_message_and_all_get_its_id()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var second = await store.WriteAsync(w => w.InsertConversationAsync(NewConversation(scene.InboxId, scene.ContactId)));
        var contact = (SenderTypes.Contact, scene.ContactId);
        var agent = (SenderTypes.Agent, scene.AgentId);

        // Three keys raced at once, 40 writes each: the contact's and the agent's in one conversation, the contact's in another.
        var keys = new[] { (scene.ConversationId, contact), (scene.ConversationId, agent), (second, contact) };
        var results = await Task.WhenAll(Race(120, i =>
        {
            var (conversationId, sender) = keys[i % 3];
            return AppendAsync(store, conversationId, $"retry {i}", echoId: "same-echo", sender: sender);
        }));

        for (var k = 0; k < keys.Length; k++)
        {
            var ofKey = results.Where((_, i) => i % 3 == k).ToList();
            Assert.Single(ofKey.Select(m => m.Id).Distinct());
            Assert.Single(ofKey.Select(m => m.Seq).Distinct());
        }
        var first = await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(scene.ConversationId, null, 0, 500, false)));
        Assert.Equal(2, first.Count);
        Assert.Equal(Seqs(1, 2), first.Select(m => m.Seq));
        Assert.Single(await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(second, null, 0, 500, false))));
        Assert.Equal(2, (await store.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)))!.Seq);
        Assert.Equal(1, (await store.ReadAsync(r => r.GetConversationAsync(second)))!.Seq);
    }

    // ---- 5. a failing command rolls back alone

    [Fact]
    public async Task A_failing_command_rolls_back_alone_and_its_after_commit_actions_never_run()
    {
        const int n = 90;
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var existingInbox = (await store.ReadAsync(r => r.GetInboxAsync(scene.InboxId)))!;
        var other = await store.WriteAsync(w => w.InsertConversationAsync(NewConversation(scene.InboxId, scene.ContactId)));
        var taken = await AppendAsync(store, other, "holds its echoId", echoId: "taken");
        var actionsRun = new ConcurrentBag<int>();

        // Every third command throws after writing (its own exception); every third after that breaks a unique
        // constraint after writing (a store error): a duplicate inbox identifier, or a message repeating an echoId
        // without looking for it first. Started at once, they share group commits with the ones that succeed.
        static bool ThrowsItself(int i) => i % 3 == 0;
        static bool BreaksConstraint(int i) => i % 3 == 1;
        var writes = Race(n, i => store.WriteAsync(async w =>
        {
            var c = (await w.GetConversationForUpdateAsync(scene.ConversationId))!;
            var fails = ThrowsItself(i) || BreaksConstraint(i);
            var m = await AppendToAsync(w, c, fails ? $"doomed {i}" : $"kept {i}", echoId: $"echo-{i}");
            w.AfterCommit(() => actionsRun.Add(i));
            await w.InsertContactAsync(NewContact(scene.InboxId, $"contact-of-{i}"));
            if (ThrowsItself(i)) throw new CommandFailed(i);
            if (BreaksConstraint(i) && i % 2 == 0)
            {
                var duplicate = NewInbox();
                duplicate.Identifier = existingInbox.Identifier;
                await w.InsertInboxAsync(duplicate);
            }
            else if (BreaksConstraint(i))
                await AppendToAsync(w, (await w.GetConversationForUpdateAsync(other))!, $"doomed repeat {i}", echoId: "taken");
            return m;
        }));

        var kept = new List<MessageRow>();
        for (var i = 0; i < n; i++)
        {
            if (ThrowsItself(i))
                // The caller gets the command's own exception: use cases throw their errors through WriteAsync.
                Assert.Equal(i, (await Assert.ThrowsAsync<CommandFailed>(() => writes[i])).Index);
            else if (BreaksConstraint(i))
                await Assert.ThrowsAnyAsync<Exception>(() => writes[i]);
            else
                kept.Add(await writes[i]);
        }

        var keptIndexes = Enumerable.Range(0, n).Where(i => !ThrowsItself(i) && !BreaksConstraint(i)).ToList();
        Assert.Equal(keptIndexes.Count, kept.Count);
        // Rolled back means the seqs the failed ones took are given again: the kept ones are still 1..K.
        Assert.Equal(Seqs(1, kept.Count), kept.Select(m => m.Seq).Order());
        Assert.Equal(keptIndexes, actionsRun.Order());
        var c = (await store.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)))!;
        Assert.Equal((kept.Count, kept.Count), (c.Seq, c.ContactSeq));
        var stored = await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(scene.ConversationId, null, 0, 500, false)));
        Assert.Equal(kept.Select(m => m.Id).Order(), stored.Select(m => m.Id).Order());
        Assert.DoesNotContain(stored, m => m.Content.StartsWith("doomed", StringComparison.Ordinal));
        for (var i = 0; i < n; i++)
        {
            var index = i;
            var contact = await store.ReadAsync(r => r.FindContactBySourceIdAsync(scene.InboxId, $"contact-of-{index}"));
            var echo = await store.ReadAsync(r => r.FindMessageByEchoAsync(scene.ConversationId, SenderTypes.Contact, scene.ContactId, $"echo-{index}"));
            Assert.Equal(keptIndexes.Contains(i), contact is not null);
            Assert.Equal(keptIndexes.Contains(i), echo is not null);
        }
        Assert.Single(await store.ReadAsync(r => r.ListInboxesAsync()));
        Assert.Equal([taken.Id], (await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(other, null, 0, 500, false)))).Select(m => m.Id));
        Assert.Equal(1, (await store.ReadAsync(r => r.GetConversationAsync(other)))!.Seq);
    }

    // ---- 6. after-commit actions: after the commit, in commit order, before the caller resumes

    [Fact]
    public async Task After_commit_actions_run_after_the_commit_in_commit_order_before_their_caller_resumes()
    {
        const int n = 100;
        var location = await LocationAsync();
        var store = await OpenStoreAsync(location);
        var observer = await AnotherStoreAsync(location, store);
        var scene = await SeedAsync(store);
        var log = new List<(long Seq, int Action, bool RowVisibleToAnotherStore)>();

        var appended = await Task.WhenAll(Race(n, async i =>
        {
            var actionsDone = 0;
            var m = await store.WriteAsync(async w =>
            {
                var m = await AppendToAsync(w, (await w.GetConversationForUpdateAsync(scene.ConversationId))!, $"message {i}");
                w.AfterCommit(() =>
                {
                    // Committed means visible to anyone: another store instance, its own connection, sees the row.
                    // (Actions are synchronous; blocking on a read here is what a test may do, not what publishers do.)
                    var seen = observer.ReadAsync(r => r.GetMessageAsync(m.Id)).GetAwaiter().GetResult();
                    lock (log) log.Add((m.Seq, 1, seen?.Seq == m.Seq));
                    Interlocked.Increment(ref actionsDone);
                });
                w.AfterCommit(() =>
                {
                    lock (log) log.Add((m.Seq, 2, true));
                    Interlocked.Increment(ref actionsDone);
                });
                return m;
            });
            Assert.Equal(2, Volatile.Read(ref actionsDone));
            return m;
        }));

        Assert.Equal(Seqs(1, n), appended.Select(m => m.Seq).Order());
        // Commit order is seq order: the log is each seq's two actions, in the order they were added, seq by seq.
        var expected = Seqs(1, n).SelectMany(seq => new[] { (seq, 1, true), (seq, 2, true) });
        Assert.Equal(expected, log);
    }

    // ---- 6b. writes of one order: a contact's, and agents' about its conversations, in commit order

    [Fact]
    public async Task Writes_of_one_contact_or_its_conversations_commit_in_order_with_gap_free_seqs_and_ordered_actions()
    {
        const int contacts = 6, perContact = 2, n = 240;
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var conversations = await store.WriteAsync(async w =>
        {
            var ids = new List<(long ContactId, long ConversationId)>();
            for (var i = 0; i < contacts; i++)
            {
                var contactId = i == 0 ? scene.ContactId : await w.InsertContactAsync(NewContact(scene.InboxId));
                for (var j = 0; j < perContact; j++)
                    ids.Add((contactId, i == 0 && j == 0 ? scene.ConversationId : await w.InsertConversationAsync(NewConversation(scene.InboxId, contactId))));
            }
            return ids;
        });
        var actions = conversations.ToDictionary(c => c.ConversationId, _ => new List<long>());

        // Half named by their contact (a contact's own command), half by their conversation alone (an agent's):
        // a store with several writers must give both the same one.
        var appended = await Task.WhenAll(Race(n, i =>
        {
            var (contactId, conversationId) = conversations[i % conversations.Count];
            var order = i % 2 == 0 ? WriteOrder.OfContact(contactId) : WriteOrder.OfConversation(conversationId);
            return store.WriteAsync(order, async w =>
            {
                var c = (await w.GetConversationForUpdateAsync(conversationId))!;
                var kind = (Kind)(i % 3);
                var message = new MessageRow
                {
                    ConversationId = c.Id, MessageType = kind == Kind.Activity ? MessageTypes.Activity : MessageTypes.Incoming,
                    Content = $"message {i}", Private = kind == Kind.PrivateNote, CreatedAt = T0, UpdatedAt = T0,
                    SenderType = kind == Kind.Activity ? null : SenderTypes.Contact, SenderId = kind == Kind.Activity ? null : contactId,
                };
                await w.AppendMessageAsync(c, message, visibleToContact: kind == Kind.Visible);
                Assert.Equal((c.Seq, kind == Kind.Visible ? c.ContactSeq : (long?)null), (message.Seq, message.ContactSeq));
                w.AfterCommit(() =>
                {
                    lock (actions) actions[conversationId].Add(message.Seq);
                });
                return message;
            });
        }));

        foreach (var (_, conversationId) in conversations)
        {
            var mine = appended.Where(m => m.ConversationId == conversationId).ToList();
            Assert.Equal(Seqs(1, mine.Count), actions[conversationId]); // gap-free, and the actions in commit order
            Assert.Equal(Seqs(1, mine.Count(m => m.ContactSeq is not null)), mine.Where(m => m.ContactSeq is not null).Select(m => m.ContactSeq!.Value).Order());
            var stored = await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(conversationId, null, 0, n, false)));
            Assert.Equal(Seqs(1, mine.Count), stored.Select(m => m.Seq));
            foreach (var m in stored) AssertRow(mine.Single(a => a.Id == m.Id), m);
        }
    }

    // ---- 7. history paging

    [Fact]
    public async Task History_pages_newest_before_an_id_after_a_seq_and_in_the_contacts_view()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        var neighbour = await store.WriteAsync(w => w.InsertConversationAsync(NewConversation(scene.InboxId, scene.ContactId)));
        var all = new List<MessageRow>();
        for (var i = 1; i <= 30; i++)
        {
            var kind = i % 5 == 0 ? Kind.PrivateNote : i % 7 == 0 ? Kind.Activity : Kind.Visible;
            all.Add(await AppendAsync(store, scene.ConversationId, $"m{i}", kind));
            // Another conversation's messages in between never show up.
            if (i % 4 == 0) await AppendAsync(store, neighbour, $"neighbour {i}");
        }
        // An answered message takes the conversation's next seq and contact seq: it moves in the seq order (resync)
        // but keeps its place in the history (by id).
        var moved = all[2];
        await store.WriteAsync(async w =>
        {
            var c = (await w.GetConversationForUpdateAsync(scene.ConversationId))!;
            await w.RecordChangeAsync(c, visibleToContact: true);
            (moved.Seq, moved.ContactSeq, moved.ContentAttributes, moved.UpdatedAt) = (c.Seq, c.ContactSeq, """{"submitted_values":[]}""", T0 + 99);
            await w.UpdateMessageAsync(moved);
            return 0;
        });
        Assert.Equal(31, moved.Seq);
        var forContact = all.Where(m => m.ContactSeq is not null).ToList();

        async Task<IReadOnlyList<MessageRow>> Page(long? before, long? afterSeq, int limit, bool contact) =>
            await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(scene.ConversationId, before, afterSeq, limit, contact)));

        foreach (var contact in new[] { false, true })
        {
            var visible = contact ? forContact : all;
            // Newest page: the last messages by id, oldest first.
            var newest = await Page(null, null, 10, contact);
            Assert.Equal(visible.TakeLast(10).Select(m => m.Id), newest.Select(m => m.Id));
            // Older pages before the first id of each page, until the start: every message once, in id order.
            var history = new List<MessageRow>(newest);
            for (var page = newest; page.Count > 0;)
            {
                page = await Page(page[0].Id, null, 10, contact);
                Assert.True(page.Count <= 10);
                Assert.Equal(page.Select(m => m.Id).Order(), page.Select(m => m.Id));
                history.InsertRange(0, page);
            }
            Assert.Equal(visible.Select(m => m.Id), history.Select(m => m.Id));
            foreach (var m in history) AssertRow(visible.Single(v => v.Id == m.Id), m);

            // After a seq: the changes after it in seq order (contact seq in the contact's view), up to the limit.
            long SeqOf(MessageRow m) => contact ? m.ContactSeq!.Value : m.Seq;
            foreach (var (afterSeq, limit) in new[] { (0, 5), (0, 100), (2, 3), (20, 100), (24, 4) })
            {
                var expected = visible.Where(m => SeqOf(m) > afterSeq).OrderBy(SeqOf).Take(limit).Select(m => m.Id);
                var resync = await Page(null, afterSeq, limit, contact);
                Assert.Equal(expected, resync.Select(m => m.Id));
            }
            var last = await Page(null, contact ? forContact.Max(m => m.ContactSeq) - 1 : 30, 100, contact);
            Assert.Equal([moved.Id], last.Select(m => m.Id));
            Assert.Empty(await Page(null, contact ? forContact.Max(m => m.ContactSeq) : 31, 100, contact));
        }
    }

    // ---- 8. verified-identifier lookup

    [Fact]
    public async Task A_verified_identifier_finds_only_hmac_verified_contacts_of_that_inbox_the_oldest_first()
    {
        var store = await FreshStoreAsync();
        var (inbox1, inbox2) = await store.WriteAsync(async w => (await w.InsertInboxAsync(NewInbox()), await w.InsertInboxAsync(NewInbox())));
        ContactRow Claiming(long inboxId, string identifier, bool verified, long createdAt)
        {
            var contact = NewContact(inboxId);
            (contact.Identifier, contact.HmacVerified, contact.CreatedAt) = (identifier, verified, createdAt);
            return contact;
        }
        // Inserted (and created) in this order, so "oldest" means the same by id and by creation time.
        var rows = new[]
        {
            Claiming(inbox2, "user-1", verified: true, T0),        // another inbox: never an answer for inbox 1
            Claiming(inbox1, "user-1", verified: false, T0 + 1),   // unproven: never handed out
            Claiming(inbox1, "user-1", verified: true, T0 + 2),    // the oldest verified one in inbox 1
            Claiming(inbox1, "user-1", verified: true, T0 + 3),
            Claiming(inbox1, "user-2", verified: false, T0 + 4),
        };
        await store.WriteAsync(async w =>
        {
            foreach (var row in rows) row.Id = await w.InsertContactAsync(row);
            return 0;
        });

        AssertRow(rows[2], await store.ReadAsync(r => r.FindVerifiedContactByIdentifierAsync(inbox1, "user-1")));
        AssertRow(rows[0], await store.ReadAsync(r => r.FindVerifiedContactByIdentifierAsync(inbox2, "user-1")));
        Assert.Null(await store.ReadAsync(r => r.FindVerifiedContactByIdentifierAsync(inbox1, "user-2")));
        Assert.Null(await store.ReadAsync(r => r.FindVerifiedContactByIdentifierAsync(inbox1, "user-3")));
        Assert.Null(await store.ReadAsync(r => r.FindVerifiedContactByIdentifierAsync(inbox2, "user-2")));

        // Proven later (an update), the older contact becomes the answer; unproven again, it is no longer one.
        rows[1].HmacVerified = true;
        rows[4].HmacVerified = true;
        await store.WriteAsync(async w => { await w.UpdateContactAsync(rows[1]); await w.UpdateContactAsync(rows[4]); return 0; });
        AssertRow(rows[1], await store.ReadAsync(r => r.FindVerifiedContactByIdentifierAsync(inbox1, "user-1")));
        AssertRow(rows[4], await store.ReadAsync(r => r.FindVerifiedContactByIdentifierAsync(inbox1, "user-2")));
        rows[1].HmacVerified = false;
        await store.WriteAsync(async w => { await w.UpdateContactAsync(rows[1]); return 0; });
        AssertRow(rows[2], await store.ReadAsync(r => r.FindVerifiedContactByIdentifierAsync(inbox1, "user-1")));
    }

    // ---- 9. migrations run twice safely

    [Fact]
    public async Task Migrations_run_again_on_reopen_without_harm()
    {
        var location = await LocationAsync();
        var store = await OpenStoreAsync(location);
        var scene = await SeedAsync(store);
        await AppendAsync(store, scene.ConversationId, "before");
        await CloseStoreAsync(store);
        Assert.Equal(LatestSchemaVersion, await SchemaVersionAsync(location));

        for (var reopen = 1; reopen <= 2; reopen++)
        {
            store = await OpenStoreAsync(location);
            Assert.Equal(LatestSchemaVersion, await SchemaVersionAsync(location));
            Assert.NotNull(await store.ReadAsync(r => r.GetInboxAsync(scene.InboxId)));
            var m = await AppendAsync(store, scene.ConversationId, $"after reopen {reopen}");
            Assert.Equal(1 + reopen, m.Seq);
            await CloseStoreAsync(store);
        }
    }

    [Fact]
    public async Task Several_stores_opened_at_once_on_a_fresh_database_all_migrate_it_and_share_it()
    {
        // Nodes starting together on a new database: every one of them must come up on the same schema.
        for (var round = 0; round < 20; round++)
        {
            var location = await LocationAsync();
            var stores = SeveralStoresPerDatabase
                ? await Task.WhenAll(Race(4, _ => OpenStoreAsync(location)))
                : await OneOfRacingOpensAsync(location, 4);
            Assert.Equal(LatestSchemaVersion, await SchemaVersionAsync(location));

            var inboxIds = await Task.WhenAll(stores.Select(s => s.WriteAsync(w => w.InsertInboxAsync(NewInbox()))));
            foreach (var store in stores)
                Assert.Equal(inboxIds.Order(), (await store.ReadAsync(r => r.ListInboxesAsync())).Select(i => i.Id).Order());
            foreach (var store in stores) await CloseStoreAsync(store);
        }
    }

    // ---- 10. data survives reopening

    [Fact]
    public async Task Everything_survives_closing_and_reopening_and_seqs_continue()
    {
        var location = await LocationAsync();
        var store = await OpenStoreAsync(location);
        var scene = await SeedAsync(store);
        for (var i = 0; i < 12; i++) await AppendAsync(store, scene.ConversationId, $"m{i}", (Kind)(i % 3));
        await store.WriteAsync(async w =>
        {
            var contact = (await w.GetContactAsync(scene.ContactId))!;
            (contact.Name, contact.Identifier, contact.HmacVerified) = ("Renamed", "user-9", true);
            await w.UpdateContactAsync(contact);
            await w.SetAvailabilityAsync(scene.AgentId, "online");
            var c = (await w.GetConversationForUpdateAsync(scene.ConversationId))!;
            (c.Status, c.AssigneeId, c.AgentLastSeenAt) = (ConversationStatuses.Pending, scene.AgentId, T0 + 50);
            await w.RecordChangeAsync(c, visibleToContact: true);
            return 0;
        });
        var before = await EverythingAsync(store, scene);
        Assert.Equal((13, 5), (before.Conversation.Seq, before.Conversation.ContactSeq));
        await CloseStoreAsync(store);

        store = await OpenStoreAsync(location);
        var after = await EverythingAsync(store, scene);
        Assert.Equivalent(before, after, strict: true);

        var next = await AppendAsync(store, scene.ConversationId, "after reopen");
        var note = await AppendAsync(store, scene.ConversationId, "note after reopen", Kind.PrivateNote);
        Assert.Equal((14, 6), (next.Seq, next.ContactSeq));
        Assert.Equal((15L, (long?)null), (note.Seq, note.ContactSeq));
    }

    [Fact]
    public async Task Closing_commits_every_write_already_handed_to_the_store()
    {
        const int n = 100;
        var location = await LocationAsync();
        var store = await OpenStoreAsync(location);
        var scene = await SeedAsync(store);

        // Handed over (WriteAsync called), not yet awaited, when the close begins: a graceful shutdown commits them all.
        var writes = Enumerable.Range(0, n).Select(i => AppendAsync(store, scene.ConversationId, $"in flight {i}")).ToList();
        await CloseStoreAsync(store);
        var appended = await Task.WhenAll(writes);

        store = await OpenStoreAsync(location);
        var stored = await store.ReadAsync(r => r.GetMessagesAsync(new MessageQuery(scene.ConversationId, null, 0, 500, false)));
        Assert.Equal(Seqs(1, n), stored.Select(m => m.Seq));
        Assert.Equal(appended.Select(m => m.Id).Order(), stored.Select(m => m.Id).Order());
    }

    // ---- 11. several store instances on one database

    /// <summary>Each store's batches hold several conversations, taken in another order on each store: on a server
    /// database they wait for each other's locks (a cycle, unless the store breaks it), and still every write commits.</summary>
    [Fact]
    public async Task Two_stores_writing_many_conversations_in_crossing_orders_commit_every_write_gap_free()
    {
        const int conversations = 8, n = 400;
        var location = await LocationAsync();
        var first = await OpenStoreAsync(location);
        var stores = new[] { first, await AnotherStoreAsync(location, first) };
        var scene = await SeedAsync(stores[0]);
        var ids = await stores[0].WriteAsync(async w =>
        {
            var list = new List<long> { scene.ConversationId };
            for (var i = 1; i < conversations; i++) list.Add(await w.InsertConversationAsync(NewConversation(scene.InboxId, scene.ContactId)));
            return list;
        });

        // Store 0 goes through the conversations upwards, store 1 downwards.
        var appended = await Task.WhenAll(Race(n, i =>
        {
            var node = i % 2;
            var k = i / 2 % conversations;
            return AppendAsync(stores[node], ids[node == 0 ? k : conversations - 1 - k], $"node {node} message {i}");
        }));

        foreach (var id in ids)
        {
            var mine = appended.Where(m => m.ConversationId == id).ToList();
            Assert.Equal(n / conversations, mine.Count);
            Assert.Equal(Seqs(1, mine.Count), mine.Select(m => m.Seq).Order());
            var stored = await stores[1].ReadAsync(r => r.GetMessagesAsync(new MessageQuery(id, null, 0, n, false)));
            Assert.Equal(Seqs(1, mine.Count), stored.Select(m => m.Seq));
        }
    }

    [Fact]
    public async Task Two_stores_on_one_database_keep_one_gap_free_seq_and_one_message_per_echoId()
    {
        const int n = 200;
        var location = await LocationAsync();
        var first = await OpenStoreAsync(location);
        var stores = new[] { first, await AnotherStoreAsync(location, first) };
        var scene = await SeedAsync(stores[0]);

        var appended = await Task.WhenAll(Race(n, i => AppendAsync(stores[i % 2], scene.ConversationId, $"node {i % 2} message {i}")));
        Assert.Equal(Seqs(1, n), appended.Select(m => m.Seq).Order());
        Assert.Equal(Seqs(1, n), appended.Select(m => m.ContactSeq!.Value).Order());
        foreach (var store in stores)
        {
            var c = (await store.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)))!;
            Assert.Equal((n, n), (c.Seq, c.ContactSeq));
        }

        // A retry landing on the other node finds the original: one message per echoId across both stores.
        var retried = await Task.WhenAll(Race(40, i => AppendAsync(stores[i % 2], scene.ConversationId, $"retry {i}", echoId: "across-nodes")));
        Assert.Single(retried.Select(m => m.Id).Distinct());
        Assert.Equal(n + 1, retried[0].Seq);
        var stored = await stores[1].ReadAsync(r => r.GetMessagesAsync(new MessageQuery(scene.ConversationId, null, 0, 1000, false)));
        Assert.Equal(Seqs(1, n + 1), stored.Select(m => m.Seq));
    }

    // ---- a write's task completes only after its commit; a read sees one snapshot

    [Fact]
    public async Task A_write_is_committed_when_its_task_completes()
    {
        var location = await LocationAsync();
        var store = await OpenStoreAsync(location);
        var other = await AnotherStoreAsync(location, store);
        var scene = await SeedAsync(store);
        Assert.NotNull(await other.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)));

        for (var i = 0; i < 20; i++)
        {
            var m = await AppendAsync(store, scene.ConversationId, $"one by one {i}");
            AssertRow(m, await other.ReadAsync(r => r.GetMessageAsync(m.Id)));
        }
        await Task.WhenAll(Race(100, async i =>
        {
            var m = await AppendAsync(store, scene.ConversationId, $"at once {i}");
            AssertRow(m, await other.ReadAsync(r => r.GetMessageAsync(m.Id)));
            // The conversation's seq is at least this message's: its change committed with it.
            Assert.True((await other.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)))!.Seq >= m.Seq);
            return m;
        }));
    }

    [Fact]
    public async Task A_read_sees_one_snapshot_while_writes_commit()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        await AppendAsync(store, scene.ConversationId, "before the read");

        // On the thread pool: a single-writer store runs the read on the caller's thread and blocks it until the
        // query completes, so the query's continuations must not need the test's own synchronization context.
        var (seqAtStart, committedMeanwhile, messagesSeen, seqAtEnd) = await Task.Run(() => store.ReadAsync(async r =>
        {
            var atStart = (await r.GetConversationAsync(scene.ConversationId))!.Seq;
            // A write commits while this read is open.
            var committed = await AppendAsync(store, scene.ConversationId, "during the read");
            var messages = await r.GetMessagesAsync(new MessageQuery(scene.ConversationId, null, 0, 100, false));
            var atEnd = (await r.GetConversationAsync(scene.ConversationId))!.Seq;
            return (atStart, committed, messages, atEnd);
        }));

        Assert.Equal(2, committedMeanwhile.Seq);
        Assert.Equal((1, 1), (seqAtStart, seqAtEnd));
        Assert.Equal([1L], messagesSeen.Select(m => m.Seq));
        Assert.Equal(2, (await store.ReadAsync(r => r.GetConversationAsync(scene.ConversationId)))!.Seq);
    }

    // ---- helpers

    protected const long T0 = 1_760_000_000_000; // Unix milliseconds, as rows keep times

    protected sealed record Scene(long InboxId, long AgentId, long ContactId, long ConversationId);

    protected enum Kind { Visible = 0, PrivateNote = 1, Activity = 2 }

    private sealed class CommandFailed(int index) : Exception($"command {index} failed on purpose")
    {
        public int Index { get; } = index;
    }

    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    protected static InboxRow NewInbox() => new() { Identifier = Unique("inbox"), Name = "Inbox", HmacToken = Unique("hmac"), CreatedAt = T0 };

    protected static AgentRow NewAgent()
    {
        var key = Unique("agent");
        return new() { Name = "Agent", Email = $"{key}@example.com", AccessTokenHash = $"ath-{key}", PubsubToken = $"pst-{key}", CreatedAt = T0 };
    }

    protected static ContactRow NewContact(long inboxId, string? sourceId = null) => new()
    {
        InboxId = inboxId, SourceId = sourceId ?? Unique("source"), PubsubToken = Unique("pst"), PubsubTokenHash = Unique("psth"), CreatedAt = T0,
    };

    protected static ConversationRow NewConversation(long inboxId, long contactId) => new()
    {
        Uuid = Guid.NewGuid().ToString(), InboxId = inboxId, ContactId = contactId, Status = ConversationStatuses.Open, CreatedAt = T0, LastActivityAt = T0,
    };

    /// <summary>An inbox with an agent as member, a contact and one empty conversation.</summary>
    protected static Task<Scene> SeedAsync(IChatStore store) => store.WriteAsync(async w =>
    {
        var inboxId = await w.InsertInboxAsync(NewInbox());
        var agentId = await w.InsertAgentAsync(NewAgent());
        await w.AddMemberAsync(inboxId, agentId);
        var contactId = await w.InsertContactAsync(NewContact(inboxId));
        var conversationId = await w.InsertConversationAsync(NewConversation(inboxId, contactId));
        return new Scene(inboxId, agentId, contactId, conversationId);
    });

    /// <summary>What a send does in its transaction once it holds the conversation: take the next seq (and contact
    /// seq when the contact sees it) and insert the message with them.</summary>
    protected static async ValueTask<MessageRow> AppendToAsync(IStoreTransaction w, ConversationRow c, string content,
        Kind kind = Kind.Visible, string? echoId = null, (string Type, long Id)? sender = null)
    {
        await w.RecordChangeAsync(c, visibleToContact: kind == Kind.Visible);
        (string Type, long Id)? from = kind == Kind.Activity ? null : sender ?? (SenderTypes.Contact, c.ContactId);
        var message = new MessageRow
        {
            ConversationId = c.Id, Seq = c.Seq, ContactSeq = kind == Kind.Visible ? c.ContactSeq : null,
            MessageType = kind == Kind.Activity ? MessageTypes.Activity : from?.Type == SenderTypes.Agent ? MessageTypes.Outgoing : MessageTypes.Incoming,
            Content = content, Private = kind == Kind.PrivateNote, EchoId = echoId, SenderType = from?.Type, SenderId = from?.Id,
            CreatedAt = T0 + c.Seq, UpdatedAt = T0 + c.Seq,
        };
        message.Id = await w.InsertMessageAsync(message);
        return message;
    }

    /// <summary>A send as SendMessage does it: hold the conversation, return the original if this echoId was
    /// stored already, else append.</summary>
    protected static Task<MessageRow> AppendAsync(IChatStore store, long conversationId, string content,
        Kind kind = Kind.Visible, string? echoId = null, (string Type, long Id)? sender = null) => store.WriteAsync(async w =>
    {
        var c = (await w.GetConversationForUpdateAsync(conversationId))!;
        var from = sender ?? (SenderTypes.Contact, c.ContactId);
        if (echoId is not null && await w.FindMessageByEchoAsync(c.Id, from.Type, from.Id, echoId) is { } original) return original;
        return await AppendToAsync(w, c, content, kind, echoId, from);
    });

    /// <summary>Starts <paramref name="count"/> calls at once: each waits on one gate on the thread pool, so they
    /// really race into the store rather than arriving one by one.</summary>
    protected static Task<T>[] Race<T>(int count, Func<int, Task<T>> call)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await call(i);
        })).ToArray();
        gate.SetResult();
        return calls;
    }

    protected static IEnumerable<long> Seqs(long first, long last) => Enumerable.Range((int)first, (int)(last - first + 1)).Select(s => (long)s);

    /// <summary>Every field of <paramref name="expected"/> equals <paramref name="actual"/>'s (the failure names the field).</summary>
    protected static void AssertRow<T>(T expected, T? actual) where T : class
    {
        Assert.NotNull(actual);
        Assert.Equivalent(expected, actual, strict: true);
    }

    private sealed record Everything(InboxRow Inbox, AgentRow Agent, ContactRow Contact, ConversationRow Conversation,
        IReadOnlyList<MessageRow> Messages, IReadOnlyList<long> Members, ContactRow? Verified);

    private static Task<Everything> EverythingAsync(IChatStore store, Scene scene) => store.ReadAsync(async r => new Everything(
        (await r.GetInboxAsync(scene.InboxId))!, (await r.GetAgentAsync(scene.AgentId))!, (await r.GetContactAsync(scene.ContactId))!,
        (await r.GetConversationAsync(scene.ConversationId))!,
        await r.GetMessagesAsync(new MessageQuery(scene.ConversationId, null, 0, 1000, false)),
        await r.MembersOfAsync(scene.InboxId),
        await r.FindVerifiedContactByIdentifierAsync(scene.InboxId, "user-9")));
}
