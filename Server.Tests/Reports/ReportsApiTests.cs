using System.Net;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Storage;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Reports;

/// <summary>Reports (issue 25) over real HTTP, on every store, each test on a server of its own (a report counts the
/// whole account): what real replies, resolutions and CSAT answers make a report say; exact figures of conversations
/// seeded at known times, cut into the days of a time zone; CSV downloads safe in a spreadsheet; who may ask, how
/// often and for how much.</summary>
public sealed class ReportsApiTests
{
    private const string Reports = "/api/v2/accounts/1/reports";

    [Fact, Trait("Run", "EveryStore")]
    public async Task Replies_resolutions_and_csat_answers_through_the_api_are_counted_per_agent_and_inbox()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        (await admin.PatchJson("/api/v1/inboxes/1", new { csat_survey_enabled = true })).EnsureSuccessStatusCode();
        var grace = await server.CreateAgent("Grace");
        using var graceHttp = server.AgentHttp(grace.AccessToken!);
        var since = NowSeconds() - 1;
        var started = DateTimeOffset.UtcNow;

        // Ann: assigned to Grace, answered, resolved, rated 5 with a comment that looks like a formula.
        var ann = await server.CreateContact("Ann");
        var annConversation = await server.StartConversation(ann, "Hello?");
        (await admin.PostJson($"/api/v1/conversations/{annConversation.Id}/assignments", new { assignee_id = grace.Id })).EnsureSuccessStatusCode();
        await graceHttp.SendAsAgent(annConversation.Id, "Hi Ann");
        await graceHttp.SendAsAgent(annConversation.Id, "Later reply");
        (await graceHttp.PostJson($"/api/v1/conversations/{annConversation.Id}/toggle_status", new { status = "resolved" })).EnsureSuccessStatusCode();
        await RateAsync(server, ann, annConversation.Id, 5, "=HYPERLINK(\"http://evil\"), thanks");
        // Bob: only a private note, never answered.
        var bob = await server.CreateContact("Bob");
        var bobConversation = await server.StartConversation(bob, "Anyone?");
        await admin.SendAsAgent(bobConversation.Id, "note to self", isPrivate: true);
        // Cy: answered and resolved by the administrator (unassigned), rated 2 without a comment.
        var cy = await server.CreateContact("Cy");
        var cyConversation = await server.StartConversation(cy, "Help");
        await admin.SendAsAgent(cyConversation.Id, "Here");
        (await admin.PostJson($"/api/v1/conversations/{cyConversation.Id}/toggle_status", new { status = "resolved" })).EnsureSuccessStatusCode();
        await RateAsync(server, cy, cyConversation.Id, 2, null);
        var elapsed = (DateTimeOffset.UtcNow - started).TotalSeconds;
        var until = NowSeconds() + 2;
        var period = $"since={since}&until={until}";

        var report = await (await admin.GetAsync($"{Reports}/overview?{period}")).JsonBody();
        var summary = report.GetProperty("summary");
        Assert.Equal((3, 2, 2), (summary.GetProperty("conversations_count").GetInt32(), summary.GetProperty("resolutions_count").GetInt32(),
            summary.GetProperty("first_responses_count").GetInt32()));
        Assert.InRange(summary.GetProperty("avg_first_response_time").GetDouble(), 0, elapsed);
        Assert.InRange(summary.GetProperty("median_resolution_time").GetDouble(), 0, elapsed);
        var csat = summary.GetProperty("csat");
        Assert.Equal((2, 3.5, 1), (csat.GetProperty("responses_count").GetInt32(), csat.GetProperty("average").GetDouble(), csat.GetProperty("comments_count").GetInt32()));
        Assert.Equal([0, 1, 0, 0, 1], Enumerable.Range(1, 5).Select(r => csat.GetProperty("ratings_count").GetProperty(r.ToString()).GetInt32()));
        var comment = Assert.Single(report.GetProperty("csat_comments").EnumerateArray());
        Assert.Equal((annConversation.Id, "Grace", 5, "=HYPERLINK(\"http://evil\"), thanks"), (comment.GetProperty("conversation_id").GetInt64(),
            comment.GetProperty("agent_name").GetString(), comment.GetProperty("rating").GetInt32(), comment.GetProperty("comment").GetString()));
        Assert.Equal(3, report.GetProperty("days").EnumerateArray().Sum(d => d.GetProperty("conversations_count").GetInt32()));

        var ofGrace = (await (await admin.GetAsync($"{Reports}/overview?{period}&agent_id={grace.Id}")).JsonBody()).GetProperty("summary");
        Assert.Equal((1, 1, 5.0), (ofGrace.GetProperty("conversations_count").GetInt32(), ofGrace.GetProperty("resolutions_count").GetInt32(),
            ofGrace.GetProperty("csat").GetProperty("average").GetDouble()));
        var otherInbox = await server.CreateInbox("Other");
        var ofOther = (await (await admin.GetAsync($"{Reports}/overview?{period}&inbox_id={otherInbox.Id}")).JsonBody()).GetProperty("summary");
        Assert.Equal((0, JsonValueKind.Null), (ofOther.GetProperty("conversations_count").GetInt32(), ofOther.GetProperty("avg_first_response_time").ValueKind));

        // Chatwoot's shapes: the summary and a metric's timeseries.
        var chatwoot = await (await admin.GetAsync($"{Reports}/summary?{period}&type=agent&id={grace.Id}")).JsonBody();
        AssertFields(chatwoot, "conversations_count", "avg_first_response_time", "avg_resolution_time", "resolutions_count");
        Assert.Equal(1, chatwoot.GetProperty("resolutions_count").GetInt32());
        var series = await (await admin.GetAsync($"{Reports}?metric=conversations_count&type=account&{period}")).JsonBody();
        Assert.Equal(3, series.EnumerateArray().Sum(p => p.GetProperty("value").GetDouble()));
        Assert.All(series.EnumerateArray(), p => AssertFields(p, "value", "timestamp"));

        // CSV: the answers, a formula defused and quoted; the days with their total.
        var answers = await admin.GetAsync($"{Reports}/csat.csv?{period}");
        Assert.Equal("text/csv", answers.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", answers.Content.Headers.ContentDisposition?.DispositionType);
        var lines = (await answers.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("conversation_id,inbox,agent,rating,comment,rated_at", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"{annConversation.Id},Website,Grace,5,\"'=HYPERLINK(\"\"http://evil\"\"), thanks\",", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{cyConversation.Id},Website,,2,,", StringComparison.Ordinal));
        var days = (await (await admin.GetAsync($"{Reports}/conversations.csv?{period}")).Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("date,conversations_opened,conversations_resolved,first_responses,", days[0]);
        Assert.StartsWith("total,3,2,2,", days[^1]);
        Assert.EndsWith(",2,3.5", days[^1]);
    }

    [Fact, Trait("Run", "EveryStore")]
    public async Task Conversations_seeded_at_known_times_give_exact_figures_on_the_days_of_the_time_zone()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.AdminHttp();
        var store = server.App.Services.GetRequiredService<IChatStore>();
        var agentId = (await server.CreateAgent("Ivy")).Id;
        // Days of Europe/Berlin (UTC+1 in December): 1 December 00:00 local is 30 November 23:00 UTC.
        var dayOne = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.FromHours(1));
        long At(int day, double hours) => dayOne.AddDays(day).AddHours(hours).ToUnixTimeMilliseconds();
        var seeded = new[]
        {
            // created, first reply, resolved, rating, comment, rated, assignee
            (At(0, 0.5), (long?)At(0, 0.5) + 60_000, (long?)At(0, 3), (int?)5, "great", (long?)At(0, 4), (long?)agentId),
            (At(0, 23.5), At(1, 0.5), At(1, 2), 3, null, At(1, 3), null),
            (At(1, 10), At(1, 10) + 300_000, null, null, null, null, agentId),
            (At(1, 12), null, null, null, null, null, null),
            (At(2, 1), At(2, 1) + 30_000, At(2, 1) + 600_000, 1, "slow", At(2, 2), agentId),
            (At(-1, 20), At(0, 1), At(2, 5), null, null, null, agentId), // created the day before the period
        };
        var contactId = (await server.CreateContact("Seed")).Id;
        foreach (var (created, firstReply, resolved, rating, comment, rated, assignee) in seeded)
            await store.WriteAsync(async w =>
            {
                var c = new ConversationRow
                {
                    Uuid = Guid.NewGuid().ToString(), InboxId = 1, ContactId = contactId, Status = resolved is null ? "open" : "resolved",
                    CreatedAt = created, LastActivityAt = created,
                };
                c.Id = await w.InsertConversationAsync(c);
                (c.AssigneeId, c.FirstReplyAt, c.ResolvedAt, c.CsatRating, c.CsatComment, c.CsatAt) = (assignee, firstReply, resolved, rating, comment, rated);
                await w.RecordChangeAsync(c, visibleToContact: true);
                return c.Id;
            });
        var since = dayOne.ToUnixTimeSeconds();
        var until = dayOne.AddDays(3).ToUnixTimeSeconds();

        var report = await (await admin.GetAsync($"{Reports}/overview?since={since}&until={until}&timezone=Europe/Berlin")).JsonBody();
        Assert.Equal("Europe/Berlin", report.GetProperty("timezone").GetString());
        var days = report.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(["2025-12-01", "2025-12-02", "2025-12-03"], days.Select(d => d.GetProperty("date").GetString()));
        Assert.Equal([since, since + 86_400, since + 2 * 86_400], days.Select(d => d.GetProperty("timestamp").GetInt64()));
        Assert.Equal([2, 2, 1], days.Select(d => d.GetProperty("conversations_count").GetInt32()));
        Assert.Equal([1, 1, 2], days.Select(d => d.GetProperty("resolutions_count").GetInt32()));
        // First responses: day 1: 60 s and 5 h (the one created the day before); day 2: 1 h and 300 s; day 3: 30 s.
        Assert.Equal([2, 2, 1], days.Select(d => d.GetProperty("first_responses_count").GetInt32()));
        Assert.Equal([(60 + 18_000) / 2.0, (3_600 + 300) / 2.0, 30], days.Select(d => d.GetProperty("avg_first_response_time").GetDouble()));
        // Resolutions: day 1: 2.5 h; day 2: 2.5 h; day 3: 600 s and 2 days 9 h.
        Assert.Equal([9_000.0, 9_000, (600 + 2 * 86_400 + 9 * 3_600) / 2.0], days.Select(d => d.GetProperty("avg_resolution_time").GetDouble()));
        Assert.Equal([5.0, 3, 1], days.Select(d => d.GetProperty("csat_average").GetDouble()));

        var summary = report.GetProperty("summary");
        Assert.Equal((5, 4, 5), (summary.GetProperty("conversations_count").GetInt32(), summary.GetProperty("resolutions_count").GetInt32(),
            summary.GetProperty("first_responses_count").GetInt32()));
        Assert.Equal(300, summary.GetProperty("median_first_response_time").GetDouble()); // 30, 60, 300, 3600, 18000
        Assert.Equal(9_000, summary.GetProperty("median_resolution_time").GetDouble());    // 600, 9000, 9000, 198000
        Assert.Equal(3, summary.GetProperty("csat").GetProperty("average").GetDouble());
        Assert.Equal(["slow", "great"], report.GetProperty("csat_comments").EnumerateArray().Select(c => c.GetProperty("comment").GetString()));

        var ofIvy = (await (await admin.GetAsync($"{Reports}/overview?since={since}&until={until}&agent_id={agentId}")).JsonBody()).GetProperty("summary");
        Assert.Equal((3, 3, 4), (ofIvy.GetProperty("conversations_count").GetInt32(), ofIvy.GetProperty("resolutions_count").GetInt32(),
            ofIvy.GetProperty("first_responses_count").GetInt32()));
        // In UTC the first conversation of 1 December (local) falls on 30 November: a fourth day.
        var utc = await (await admin.GetAsync($"{Reports}/overview?since={since}&until={until}")).JsonBody();
        Assert.Equal(["2025-11-30", "2025-12-01", "2025-12-02", "2025-12-03"], utc.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("date").GetString()));
    }

    [Fact]
    public async Task Reports_are_for_administrators_within_their_period_size_and_rate_budget()
    {
        await using var server = await ChatServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Reports:MaxDays"] = "31", ["Reports:MaxConversations"] = "2", ["Reports:PerAdministratorPerMinute"] = "12",
        });
        using var admin = server.AdminHttp();
        using var agent = server.AgentHttp((await server.CreateAgent("Hal")).AccessToken!);
        var now = NowSeconds();
        var period = $"since={now - 3_600}&until={now + 3_600}";

        await (await agent.GetAsync($"{Reports}/overview?{period}")).AssertProblem(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await (await admin.GetAsync($"/api/v2/accounts/2/reports/overview?{period}")).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await admin.GetAsync($"{Reports}/overview?until={now}")).AssertValidation("since");
        await (await admin.GetAsync($"{Reports}/overview?since={now}&until={now}")).AssertValidation("until");
        await (await admin.GetAsync($"{Reports}/overview?since={now - 32 * 86_400}&until={now}")).AssertValidation("until");
        await (await admin.GetAsync($"{Reports}/overview?{period}&timezone=Mars/Olympus")).AssertValidation("timezone");
        await (await admin.GetAsync($"{Reports}/overview?{period}&timezone={new string('a', 65)}")).AssertValidation("timezone");
        await (await admin.GetAsync($"{Reports}?metric=bogus&{period}")).AssertValidation("metric");
        await (await admin.GetAsync($"{Reports}/summary?type=inbox&{period}")).AssertValidation("id");
        await (await admin.GetAsync($"{Reports}/overview?{period}&inbox_id=999")).AssertProblem(HttpStatusCode.NotFound, ErrorCodes.NotFound);

        // Two conversations are within Reports:MaxConversations; a third makes the period too large to report.
        for (var i = 0; i < 2; i++) await server.StartConversation(await server.CreateContact($"C{i}"), "hi");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"{Reports}/overview?{period}")).StatusCode);
        await server.StartConversation(await server.CreateContact("C3"), "hi");
        await (await admin.GetAsync($"{Reports}/overview?{period}")).AssertValidation("until");

        // Twelve reports a minute (every ask above counted, refused or not, once it passed validation and the role check).
        HttpResponseMessage last;
        var asked = 0;
        do { last = await admin.GetAsync($"{Reports}/conversations.csv?since={now - 7_200}&until={now - 3_600}"); asked++; }
        while (last.StatusCode == HttpStatusCode.OK && asked < 20);
        await last.AssertProblem(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.True(asked < 20, "the budget never ran out");
        Assert.NotNull(last.Headers.RetryAfter);
    }

    private static async Task RateAsync(ChatServer server, ContactDto contact, long conversationId, int rating, string? comment)
    {
        var messages = await server.MessagesAsContact(contact, conversationId);
        var survey = messages.Last(m => m.ContentType == "input_csat");
        var path = $"{server.ConversationPath(contact, conversationId)}/messages/{survey.Id}";
        using var request = new HttpRequestMessage(HttpMethod.Patch, path)
        {
            Content = JsonContent(new { submitted_values = new { csat_survey_response = new { rating, feedback_message = comment } } }),
        };
        (await server.Http.SendAsync(request)).EnsureSuccessStatusCode();
    }

    private static StringContent JsonContent(object body) => RawJson(JsonSerializer.Serialize(body));
}
