using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Campaigns and the post-chat form (issue 27) on every engine: campaign rows by id, listed newest first (all,
/// or one inbox's), every field kept by an insert and written by an update unless written once; an inbox's post-chat
/// questions kept as written (a conversation's answers are a field the rows round-trip test covers).</summary>
public abstract partial class StoreConformanceTests
{
    private static CampaignRow NewCampaign(long inboxId, string title) => new()
    {
        Title = title, Message = "Need help with " + title + "?", InboxId = inboxId, Enabled = true, TriggerUrl = "https://shop.example/*",
        TimeOnPage = 3, CreatedAt = T0, UpdatedAt = T0,
    };

    [Fact]
    public async Task Campaign_rows_round_trip_are_listed_newest_first_by_inbox_updated_and_deleted()
    {
        var store = await FreshStoreAsync();
        var inbox = await store.WriteAsync(w => w.InsertInboxAsync(NewInbox()));
        var otherInbox = await store.WriteAsync(w => w.InsertInboxAsync(NewInbox()));
        var first = NewCampaign(inbox, "first");
        var second = Filled(NewCampaign(inbox, "second"), 31, except: ["id", "inbox_id"]);
        second.InboxId = inbox;
        var elsewhere = NewCampaign(otherInbox, "elsewhere");
        foreach (var row in new[] { first, second, elsewhere }) row.Id = await store.WriteAsync(w => w.InsertCampaignAsync(row));
        Assert.Equal(3, new[] { first.Id, second.Id, elsewhere.Id }.Distinct().Count());

        AssertRow(first, await store.ReadAsync(r => r.GetCampaignAsync(first.Id)));
        AssertSameFields(second, await store.ReadAsync(r => r.GetCampaignAsync(second.Id)));
        Assert.Equal([elsewhere.Id, second.Id, first.Id], (await store.ReadAsync(r => r.ListCampaignsAsync())).Select(c => c.Id));
        Assert.Equal([second.Id, first.Id], (await store.ReadAsync(r => r.ListCampaignsOfInboxAsync(inbox))).Select(c => c.Id));
        Assert.Equal([elsewhere.Id], (await store.ReadAsync(r => r.ListCampaignsOfInboxAsync(otherInbox))).Select(c => c.Id));

        var changed = Filled(Copy(first), 41);
        changed.SenderId = null;
        await store.WriteAsync(async w => { await w.UpdateCampaignAsync(changed); return 0; });
        AssertSameFields(Updated(first, changed), await store.ReadAsync(r => r.GetCampaignAsync(first.Id)));
        Assert.Equal(inbox, (await store.ReadAsync(r => r.GetCampaignAsync(first.Id)))!.InboxId); // written once

        Assert.True(await store.WriteAsync(w => w.DeleteCampaignAsync(first.Id)));
        Assert.False(await store.WriteAsync(w => w.DeleteCampaignAsync(first.Id)));
        Assert.Null(await store.ReadAsync(r => r.GetCampaignAsync(first.Id)));
        Assert.Equal([second.Id], (await store.ReadAsync(r => r.ListCampaignsOfInboxAsync(inbox))).Select(c => c.Id));
    }

    [Fact]
    public async Task An_inbox_keeps_its_post_chat_form_as_written()
    {
        var store = await FreshStoreAsync();
        var inbox = NewInbox();
        inbox.Id = await store.WriteAsync(w => w.InsertInboxAsync(inbox));
        Assert.Null((await store.ReadAsync(r => r.GetInboxAsync(inbox.Id)))!.PostChatForm);
        const string form = """[{"id":"q1","label":"Anything else?","type":"text","required":false}]""";
        inbox.PostChatForm = form;
        await store.WriteAsync(async w => { await w.UpdateInboxAsync(inbox); return 0; });
        Assert.Equal(form, (await store.ReadAsync(r => r.GetInboxAsync(inbox.Id)))!.PostChatForm);
    }
}
