using System.Globalization;
using System.Text.Json;
using ChatHub.Server.Storage;
using ChatHub.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static ChatHub.Server.Tests.Rest.RestTestHelpers;

namespace ChatHub.Server.Tests.Browser;

/// <summary>The console's Reports view (issue 25): conversations, first replies, resolutions and CSAT answers seeded at
/// known times of the past week; the view's charts draw (a canvas with pixels) the numbers the test counts itself from
/// what it seeded, the CSV it downloads holds the same numbers day by day (and a CSAT comment that looks like a formula
/// comes defused), the agent filter narrows it, and axe-core finds nothing serious on the page.</summary>
public sealed class ReportsBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private sealed record Seeded(long InboxId, long? AssigneeId, long CreatedAt, long? FirstReplyAt, long? ResolvedAt, int? Rating, string? Comment, long? CsatAt);

    [Fact]
    public async Task The_report_page_charts_and_csv_show_the_numbers_of_the_seeded_conversations()
    {
        await using var server = await ChatServer.StartAsync();
        var store = server.App.Services.GetRequiredService<IChatStore>();
        var ivy = await server.CreateAgent("Ivy Report");
        var sales = await server.CreateInbox("Sales");
        var contactId = (await server.CreateContact("Seed")).Id;
        var salesContactId = (await server.CreateContactIn(sales.Identifier, new { name = "Seed" })).Id;

        // The console shows the last 7 days (the browser's time zone is UTC): today and the 6 before.
        var today = DateTimeOffset.UtcNow.UtcDateTime.Date;
        long At(int daysAgo, double hours) => new DateTimeOffset(today.AddDays(-daysAgo).AddHours(hours), TimeSpan.Zero).ToUnixTimeMilliseconds();
        const long Minute = 60_000;
        var seeded = new List<Seeded>
        {
            new(1, ivy.Id, At(5, 9), At(5, 9) + 4 * Minute, At(5, 11), 5, "Lovely", At(5, 12)),
            new(1, ivy.Id, At(5, 10), At(5, 10) + 10 * Minute, null, null, null, null),
            new(1, null, At(4, 8), At(4, 9), At(3, 8), 2, "=HYPERLINK(\"http://evil\")", At(3, 9)),
            new(sales.Id, ivy.Id, At(4, 13), At(4, 13) + 30_000, At(4, 14), 4, null, At(4, 15)),
            new(sales.Id, null, At(3, 16), null, null, null, null, null),
            new(1, ivy.Id, At(2, 7), At(2, 7) + 90 * Minute, At(1, 7), 1, "Too slow", At(1, 8)),
            new(1, null, At(1, 12), At(1, 12) + 2 * Minute, At(1, 13), 3, null, At(1, 14)),
            new(1, ivy.Id, At(12, 9), At(12, 10), At(2, 9), null, null, null), // opened before the week, resolved in it
        };
        foreach (var s in seeded)
            await store.WriteAsync(async w =>
            {
                var c = new ConversationRow
                {
                    Uuid = Guid.NewGuid().ToString(), InboxId = s.InboxId, ContactId = s.InboxId == 1 ? contactId : salesContactId,
                    Status = s.ResolvedAt is null ? "open" : "resolved", CreatedAt = s.CreatedAt, LastActivityAt = s.CreatedAt,
                };
                c.Id = await w.InsertConversationAsync(c);
                (c.AssigneeId, c.FirstReplyAt, c.ResolvedAt, c.CsatRating, c.CsatComment, c.CsatAt) = (s.AssigneeId, s.FirstReplyAt, s.ResolvedAt, s.Rating, s.Comment, s.CsatAt);
                await w.RecordChangeAsync(c, visibleToContact: true);
                return c.Id;
            });
        var days = Enumerable.Range(0, 7).Select(i => today.AddDays(i - 6)).ToList();
        var expected = CountOf(seeded, days);

        var page = await NewPageAsync("admin", 1360, 1000);
        await ConsolePage.SignInAsync(page, server.BaseUrl, server.AgentToken);
        await page.Locator("#reports-button").ClickAsync();
        var view = page.Locator("#reports");
        await Expect(view).ToHaveAttributeAsync("data-loaded", new System.Text.RegularExpressions.Regex(@"^\d+-\d+--$"));
        await Expect(view.Locator("[data-figure=opened]")).ToHaveTextAsync(expected.Total.Opened.ToString(CultureInfo.InvariantCulture));
        await Expect(view.Locator("[data-figure=resolved]")).ToHaveTextAsync(expected.Total.Resolved.ToString(CultureInfo.InvariantCulture));

        // The charts: each canvas drew something, and the numbers it drew are the test's own.
        var volume = await SeriesAsync(page, "#reports-volume");
        Assert.Equal(days.Select(d => d.ToString("yyyy-MM-dd")), volume.Labels);
        Assert.Equal(expected.Days.Select(d => (double?)d.Opened), volume.Series[0]);
        Assert.Equal(expected.Days.Select(d => (double?)d.Resolved), volume.Series[1]);
        var csat = await SeriesAsync(page, "#reports-csat");
        Assert.Equal(expected.Ratings.Select(r => (double?)r), csat.Series[0]);
        var times = await SeriesAsync(page, "#reports-times");
        Assert.Equal(expected.Days.Select(d => d.AvgFirstResponse is { } s ? Math.Round(s / 60, 1, MidpointRounding.AwayFromZero) : (double?)null), times.Series[0]);
        foreach (var canvas in new[] { "#reports-volume", "#reports-times", "#reports-csat" })
            Assert.True(await page.Locator(canvas).EvaluateAsync<int>(
                "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }") > 500,
                $"{canvas} drew nothing");
        await Expect(view.Locator(".reports-comments li")).ToHaveCountAsync(3);
        await ScreenshotAsync(page, "console-reports");

        // The CSV download: every day's numbers and the total, as the test counts them.
        var csv = await DownloadAsync(page, "#report-csv");
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        Assert.Equal(["date", "conversations_opened", "conversations_resolved", "first_responses", "avg_first_response_seconds",
            "median_first_response_seconds", "avg_resolution_seconds", "median_resolution_seconds", "csat_responses", "csat_average"], rows[0]);
        Assert.Equal(days.Select(d => d.ToString("yyyy-MM-dd")).Append("total"), rows.Skip(1).Select(r => r[0]));
        foreach (var (row, figures) in rows.Skip(1).Zip(expected.Days.Append(expected.Total)))
        {
            Assert.Equal((figures.Opened, figures.Resolved, figures.FirstResponses, figures.CsatResponses),
                (int.Parse(row[1]), int.Parse(row[2]), int.Parse(row[3]), int.Parse(row[8])));
            AssertClose(figures.AvgFirstResponse, row[4]);
            AssertClose(figures.MedianFirstResponse, row[5]);
            AssertClose(figures.AvgResolution, row[6]);
            AssertClose(figures.MedianResolution, row[7]);
            AssertClose(figures.CsatAverage, row[9]);
        }
        var answers = await DownloadAsync(page, "#report-csat-csv");
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",", answers);
        Assert.Equal(1 + expected.Total.CsatResponses, answers.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        // One agent: its conversations only.
        await view.Locator("#report-agent").SelectOptionAsync(ivy.Id.ToString(CultureInfo.InvariantCulture));
        await view.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
        await Expect(view).ToHaveAttributeAsync("data-loaded", new System.Text.RegularExpressions.Regex($@"-{ivy.Id}$"));
        var ofIvy = CountOf(seeded.Where(s => s.AssigneeId == ivy.Id).ToList(), days);
        await Expect(view.Locator("[data-figure=opened]")).ToHaveTextAsync(ofIvy.Total.Opened.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(ofIvy.Days.Select(d => (double?)d.Resolved), (await SeriesAsync(page, "#reports-volume")).Series[1]);

        var axe = await view.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id}: {string.Join(", ", v.Nodes.Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, "axe, the Reports view:\n" + string.Join('\n', serious));
        Assert.NotEmpty(axe.Passes);
    }

    private sealed record Figures(int Opened, int Resolved, int FirstResponses, double? AvgFirstResponse, double? MedianFirstResponse,
        double? AvgResolution, double? MedianResolution, int CsatResponses, double? CsatAverage);

    private sealed record Expected(List<Figures> Days, Figures Total, int[] Ratings);

    /// <summary>The test's own count: each event on the UTC day it happened, times in seconds.</summary>
    private static Expected CountOf(List<Seeded> seeded, List<DateTime> days)
    {
        Figures Count(long from, long to)
        {
            bool In(long? at) => at is { } t && t >= from && t < to;
            var firsts = seeded.Where(s => In(s.FirstReplyAt)).Select(s => (s.FirstReplyAt!.Value - s.CreatedAt) / 1000.0).ToList();
            var resolutions = seeded.Where(s => In(s.ResolvedAt)).Select(s => (s.ResolvedAt!.Value - s.CreatedAt) / 1000.0).ToList();
            var ratings = seeded.Where(s => In(s.CsatAt)).Select(s => (double)s.Rating!.Value).ToList();
            return new Figures(seeded.Count(s => In(s.CreatedAt)), resolutions.Count, firsts.Count, Average(firsts), Median(firsts),
                Average(resolutions), Median(resolutions), ratings.Count, Average(ratings));
        }
        long Ms(DateTime day) => new DateTimeOffset(day, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var start = Ms(days[0]);
        var end = Ms(days[^1].AddDays(1));
        var ratingsCount = Enumerable.Range(1, 5).Select(r => seeded.Count(s => s.Rating == r && s.CsatAt >= start && s.CsatAt < end)).ToArray();
        return new Expected(days.Select(d => Count(Ms(d), Ms(d.AddDays(1)))).ToList(), Count(start, end), ratingsCount);
    }

    private static double? Average(List<double> values) => values.Count == 0 ? null : values.Average();

    private static double? Median(List<double> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void AssertClose(double? expected, string cell)
    {
        if (expected is null) Assert.Equal("", cell);
        else Assert.Equal(expected.Value, double.Parse(cell, CultureInfo.InvariantCulture), 3);
    }

    private sealed record Drawn(List<string> Labels, List<List<double?>> Series);

    private static async Task<Drawn> SeriesAsync(IPage page, string canvas)
    {
        var json = JsonDocument.Parse((await page.Locator(canvas).GetAttributeAsync("data-series"))!).RootElement;
        return new Drawn(json.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList(),
            json.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("data").EnumerateArray()
                .Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToList()).ToList());
    }

    private static async Task<string> DownloadAsync(IPage page, string button)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(button).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename);
        return await File.ReadAllTextAsync((await download.PathAsync())!);
    }
}
