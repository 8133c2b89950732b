using ChatHub.Server.Storage;
using Xunit;

namespace ChatHub.Server.Tests.Storage;

/// <summary>Canned responses (issue 25) on every engine: rows by id and by exact, unique short code, listed by short
/// code (ordinal), every field kept by an insert and written by an update unless written once.</summary>
public abstract partial class StoreConformanceTests
{
    private static CannedResponseRow NewCannedResponse(string shortCode) =>
        new() { ShortCode = shortCode, Content = "Hello {{contact.name}}, about " + shortCode, CreatedAt = T0, UpdatedAt = T0 };

    [Fact]
    public async Task Canned_response_rows_round_trip_are_found_by_exact_short_code_listed_by_short_code_updated_and_deleted()
    {
        var store = await FreshStoreAsync();
        var refund = NewCannedResponse("refund");
        var greeting = NewCannedResponse("Hello-é");
        var lower = NewCannedResponse("hello");
        foreach (var row in new[] { refund, greeting, lower }) row.Id = await store.WriteAsync(w => w.InsertCannedResponseAsync(row));
        Assert.Equal(3, new[] { refund.Id, greeting.Id, lower.Id }.Distinct().Count());

        AssertRow(refund, await store.ReadAsync(r => r.GetCannedResponseAsync(refund.Id)));
        AssertRow(greeting, await store.ReadAsync(r => r.FindCannedResponseByShortCodeAsync("Hello-é")));
        AssertRow(lower, await store.ReadAsync(r => r.FindCannedResponseByShortCodeAsync("hello")));
        Assert.Null(await store.ReadAsync(r => r.FindCannedResponseByShortCodeAsync("HELLO"))); // exact, case included
        Assert.Null(await store.ReadAsync(r => r.FindCannedResponseByShortCodeAsync("refun")));
        Assert.Equal(["Hello-é", "hello", "refund"], (await store.ReadAsync(r => r.ListCannedResponsesAsync())).Select(c => c.ShortCode));

        var changed = Filled(Copy(refund), 21);
        changed.ShortCode = "a-refund";
        await store.WriteAsync(async w => { await w.UpdateCannedResponseAsync(changed); return 0; });
        AssertSameFields(Updated(refund, changed), await store.ReadAsync(r => r.GetCannedResponseAsync(refund.Id)));
        Assert.Null(await store.ReadAsync(r => r.FindCannedResponseByShortCodeAsync("refund")));
        Assert.Equal(["Hello-é", "a-refund", "hello"], (await store.ReadAsync(r => r.ListCannedResponsesAsync())).Select(c => c.ShortCode));

        Assert.True(await store.WriteAsync(w => w.DeleteCannedResponseAsync(refund.Id)));
        Assert.False(await store.WriteAsync(w => w.DeleteCannedResponseAsync(refund.Id)));
        Assert.Null(await store.ReadAsync(r => r.GetCannedResponseAsync(refund.Id)));
        Assert.Equal([greeting.Id, lower.Id], (await store.ReadAsync(r => r.ListCannedResponsesAsync())).Select(c => c.Id));
    }

    [Fact]
    public async Task A_second_canned_response_with_a_short_code_taken_fails_its_command_alone()
    {
        var store = await FreshStoreAsync();
        await store.WriteAsync(w => w.InsertCannedResponseAsync(NewCannedResponse("hi")));

        var duplicate = store.WriteAsync(w => w.InsertCannedResponseAsync(NewCannedResponse("hi")));
        var other = store.WriteAsync(w => w.InsertCannedResponseAsync(NewCannedResponse("bye")));
        await Assert.ThrowsAnyAsync<Exception>(() => duplicate);
        await other;
        Assert.Equal(["bye", "hi"], (await store.ReadAsync(r => r.ListCannedResponsesAsync())).Select(c => c.ShortCode));
    }
}
