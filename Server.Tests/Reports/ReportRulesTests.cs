using ChatHub.Server.Features.Reports;
using Xunit;

namespace ChatHub.Server.Tests.Reports;

/// <summary>Reports' pure rules (issue 25): CSV cells a spreadsheet never runs as formulas, and days cut at local
/// midnights, 23 or 25 hours long across a clock change.</summary>
public sealed class ReportRulesTests
{
    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+49 30 1234", "'+49 30 1234")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\r=x", "\"'\r=x\"")]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")]
    [InlineData("plain", "plain")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("", "")]
    [InlineData("4.5", "4.5")]
    public void A_csv_cell_that_looks_like_a_formula_is_defused_and_a_cell_with_a_separator_is_quoted(string value, string written) =>
        Assert.Equal(written, ReportCsv.Cell(value));

    [Fact]
    public void Days_follow_local_midnights_across_a_clock_change()
    {
        var berlin = ReportDays.Zone("Europe/Berlin")!;
        // 28 March 2026 00:00 CET to 31 March 00:00 CEST: the clocks went forward on the 29th.
        var since = new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.FromHours(1)).ToUnixTimeMilliseconds();
        var until = new DateTimeOffset(2026, 3, 31, 0, 0, 0, TimeSpan.FromHours(2)).ToUnixTimeMilliseconds();
        var days = ReportDays.Of(since, until, berlin);
        Assert.Equal(["2026-03-28", "2026-03-29", "2026-03-30"], days.Select(d => d.Date.ToString("yyyy-MM-dd")));
        Assert.Equal([24.0, 23.0, 24.0], days.Select(d => (d.End - d.Start) / 3_600_000.0));
        Assert.Equal((since, until), (days[0].Start, days[^1].End));

        // A period that starts and ends inside days keeps its own bounds.
        var partial = ReportDays.Of(since + 3_600_000, since + 30 * 3_600_000, berlin);
        Assert.Equal([23.0, 6.0], partial.Select(d => (d.End - d.Start) / 3_600_000.0));
        Assert.Null(ReportDays.Zone("Mars/Olympus"));
    }
}
