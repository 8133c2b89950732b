using System.Net;
using System.Text.Json;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Xunit;

namespace ChatHub.Server.Tests.Email;

/// <summary>Working hours per inbox (issue 24): set by an administrator through ChatHub's and Chatwoot's inbox APIs,
/// stored, and the public inbox's is_open follows them in the inbox's time zone; out_of_office_message travels with them;
/// online is not theirs to change.</summary>
[Trait("Run", "EveryStore")]
public sealed class WorkingHoursApiTests
{
    [Fact]
    public async Task Working_hours_set_through_the_admin_api_decide_is_open_in_the_inbox_time_zone()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var inbox = await server.CreateInbox("Hours");

        // Off: open whatever the clock.
        Assert.True((await PublicInboxAsync(server, inbox.Identifier)).GetProperty("is_open").GetBoolean());

        // Only today (in Tokyo) is open, all day; every other day is closed. Tokyo's weekday, not UTC's, decides.
        var tokyoToday = (int)TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).DayOfWeek;
        var week = Enumerable.Range(0, 7).Select(d => new { day_of_week = d, open_all_day = d == tokyoToday, closed_all_day = d != tokyoToday }).ToArray();
        var patched = await (await admin.PatchJson($"/api/v1/inboxes/{inbox.Id}", new
        {
            timezone = "Asia/Tokyo", working_hours = week, out_of_office_message = "Back at 9:00 Tokyo time.",
        })).JsonBody();
        Assert.Equal(("Asia/Tokyo", true, "Back at 9:00 Tokyo time."), (patched.GetProperty("timezone").GetString(),
            patched.GetProperty("working_hours_enabled").GetBoolean(), patched.GetProperty("out_of_office_message").GetString()));
        var open = await PublicInboxAsync(server, inbox.Identifier);
        Assert.True(open.GetProperty("is_open").GetBoolean());
        Assert.Equal("Back at 9:00 Tokyo time.", open.GetProperty("out_of_office_message").GetString());
        Assert.Equal(7, open.GetProperty("working_hours").GetArrayLength());

        // Today closed all day: closed now; online is still there, untouched.
        var closedToday = week.Select(d => new { d.day_of_week, open_all_day = false, closed_all_day = d.day_of_week == tokyoToday || d.closed_all_day }).ToArray();
        (await admin.PatchJson($"/api/v1/inboxes/{inbox.Id}", new { working_hours = closedToday })).EnsureSuccessStatusCode();
        var closed = await PublicInboxAsync(server, inbox.Identifier);
        Assert.False(closed.GetProperty("is_open").GetBoolean());
        Assert.Contains(closed.GetProperty("online").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });

        // Switched off (the hours kept): open again. An empty message removes it.
        var off = await (await admin.PatchJson($"/api/v1/inboxes/{inbox.Id}", new { working_hours_enabled = false, out_of_office_message = "" })).JsonBody();
        Assert.Equal((false, 7, JsonValueKind.Null), (off.GetProperty("working_hours_enabled").GetBoolean(),
            off.GetProperty("working_hours").GetArrayLength(), off.GetProperty("out_of_office_message").ValueKind));
        Assert.True((await PublicInboxAsync(server, inbox.Identifier)).GetProperty("is_open").GetBoolean());
    }

    [Fact]
    public async Task An_hour_range_opens_at_its_start_and_closes_at_its_end()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var inbox = await server.CreateInbox("Range");
        var now = DateTimeOffset.UtcNow;
        var today = (int)now.DayOfWeek;
        // Open from the start of this minute to the end of the day (or closed from the next minute: a range that ends
        // before now), so the answer does not depend on the time the test runs at, except within a minute of midnight.
        if (now.Hour == 23 && now.Minute >= 58) return; // the day ends before the range does: nothing to learn now
        var fromNow = new { day_of_week = today, open_hour = now.Hour, open_minutes = now.Minute, close_hour = 23, close_minutes = 59 };
        (await admin.PatchJson($"/api/v1/inboxes/{inbox.Id}", new { timezone = "UTC", working_hours = new[] { fromNow } })).EnsureSuccessStatusCode();
        Assert.True((await PublicInboxAsync(server, inbox.Identifier)).GetProperty("is_open").GetBoolean());

        var endedBefore = new { day_of_week = today, open_hour = 0, open_minutes = 0, close_hour = now.Hour, close_minutes = now.Minute };
        (await admin.PatchJson($"/api/v1/inboxes/{inbox.Id}", new { working_hours = new[] { endedBefore } })).EnsureSuccessStatusCode();
        Assert.False((await PublicInboxAsync(server, inbox.Identifier)).GetProperty("is_open").GetBoolean());
    }

    [Fact]
    public async Task Chatwoots_inbox_update_sets_working_hours_timezone_and_the_out_of_office_message()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var inbox = await server.CreateInbox("Chatwoot");
        var monday = new { day_of_week = 1, open_hour = 9, open_minutes = 0, close_hour = 17, close_minutes = 30, closed_all_day = false, open_all_day = false };
        var updated = await (await admin.PatchJson($"/api/v1/accounts/1/inboxes/{inbox.Id}", new
        {
            working_hours_enabled = true, timezone = "Europe/Berlin", out_of_office_message = "We're closed.", working_hours = new[] { monday },
        })).JsonBody();
        Assert.Equal((inbox.Id, true, "Europe/Berlin", "We're closed.", "Channel::WebWidget"), (updated.GetProperty("id").GetInt64(),
            updated.GetProperty("working_hours_enabled").GetBoolean(), updated.GetProperty("timezone").GetString(),
            updated.GetProperty("out_of_office_message").GetString(), updated.GetProperty("channel_type").GetString()));
        var day = Assert.Single(updated.GetProperty("working_hours").EnumerateArray());
        Assert.Equal((1, 9, 17, 30), (day.GetProperty("day_of_week").GetInt32(), day.GetProperty("open_hour").GetInt32(),
            day.GetProperty("close_hour").GetInt32(), day.GetProperty("close_minutes").GetInt32()));

        // Stored: the read shows the same; the widget's view too.
        var shown = await (await admin.GetAsync($"/api/v1/accounts/1/inboxes/{inbox.Id}")).JsonBody();
        Assert.Equal(("We're closed.", "Europe/Berlin"), (shown.GetProperty("out_of_office_message").GetString(), shown.GetProperty("timezone").GetString()));
        Assert.Equal("We're closed.", (await PublicInboxAsync(server, inbox.Identifier)).GetProperty("out_of_office_message").GetString());

        // Bad input is a clear 422, never a 500; an agent who is not an administrator may not.
        await (await admin.PatchJson($"/api/v1/accounts/1/inboxes/{inbox.Id}", new { timezone = "Mars/Olympus" })).AssertValidation("timezone");
        await (await admin.PatchJson($"/api/v1/accounts/1/inboxes/{inbox.Id}", new { working_hours = new[] { new { day_of_week = 9 } } }))
            .AssertValidation("working_hours[0].day_of_week");
        await (await admin.PatchJson($"/api/v1/inboxes/{inbox.Id}", new { out_of_office_message = new string('x', 1025) })).AssertValidation("out_of_office_message");
        var agent = await server.CreateAgent("Plain agent");
        using var plain = server.AgentHttp(agent.AccessToken!);
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.PatchJson($"/api/v1/accounts/1/inboxes/{inbox.Id}", new { out_of_office_message = "x" })).StatusCode);
    }

    private static async Task<JsonElement> PublicInboxAsync(ChatServer server, string identifier) =>
        await (await server.Http.GetAsync($"/public/api/v1/inboxes/{identifier}")).JsonBody();
}
