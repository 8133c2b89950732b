using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Sneak peek (issue 27): an inbox's switch is on for a new inbox, and an update turns it off and on again, on
/// every engine.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task An_inbox_has_sneak_peek_on_until_an_update_turns_it_off()
    {
        var store = await FreshStoreAsync();
        var scene = await SeedAsync(store);
        Assert.True((await store.ReadAsync(r => r.GetInboxAsync(scene.InboxId)))!.SneakPeekEnabled);

        foreach (var enabled in new[] { false, true, false })
        {
            await store.WriteAsync(async w =>
            {
                var inbox = (await w.GetInboxForUpdateAsync(scene.InboxId))!;
                inbox.SneakPeekEnabled = enabled;
                await w.UpdateInboxAsync(inbox);
                return 0;
            });
            Assert.Equal(enabled, (await store.ReadAsync(r => r.GetInboxAsync(scene.InboxId)))!.SneakPeekEnabled);
        }
    }
}
