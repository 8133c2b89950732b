using ChatHub.Server.Features.CannedResponses;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.CannedResponses;

/// <summary>Canned responses' rules, in-process (on every store, as every use-case test): administrators create, change
/// and delete them, every agent lists and searches them; a short code is 1 to 50 characters without spaces and unique,
/// content 1 to 10,000 characters; the account holds at most Limits:MaxCannedResponses.</summary>
public sealed class CannedResponseTests
{
    [Fact]
    public async Task An_administrator_creates_changes_and_deletes_canned_responses_that_every_agent_lists_by_short_code()
    {
        await using var host = await UseCaseHost.StartAsync();
        var grace = await host.AgentAsync();

        var refund = await host.Send(host.Admin, new CreateCannedResponse("refund", "Your refund is on its way, {{contact.name}}."));
        Assert.Equal((1L, "refund", "Your refund is on its way, {{contact.name}}."), (refund.AccountId, refund.ShortCode, refund.Content));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", refund.CreatedAt);
        var hello = await host.Send(host.Admin, new CreateCannedResponse("hello", "Hi, I am {{agent.name}}."));
        Assert.Equal(["hello", "refund"], (await host.Ask(grace, new ListCannedResponses())).Select(c => c.ShortCode));

        // What is left out stays.
        var changed = await host.Send(host.Admin, new UpdateCannedResponse(refund.Id, "refunds", null));
        Assert.Equal(("refunds", refund.Content), (changed.ShortCode, changed.Content));
        changed = await host.Send(host.Admin, new UpdateCannedResponse(refund.Id, null, "Done."));
        Assert.Equal(("refunds", "Done."), (changed.ShortCode, changed.Content));
        Assert.Equal(changed, (await host.Ask(grace, new ListCannedResponses())).Single(c => c.Id == refund.Id));

        await host.Send(host.Admin, new DeleteCannedResponse(hello.Id));
        Assert.Equal([refund.Id], (await host.Ask(grace, new ListCannedResponses())).Select(c => c.Id));
        await Refusal.NotFound(() => host.Send(host.Admin, new DeleteCannedResponse(hello.Id)));
        await Refusal.NotFound(() => host.Send(host.Admin, new UpdateCannedResponse(hello.Id, "x", null)));
    }

    [Fact]
    public async Task A_search_finds_short_codes_or_content_containing_it_whatever_its_case_short_codes_starting_with_it_first()
    {
        await using var host = await UseCaseHost.StartAsync();
        var grace = await host.AgentAsync();
        await host.Send(host.Admin, new CreateCannedResponse("thanks", "Thank you for waiting."));
        await host.Send(host.Admin, new CreateCannedResponse("bye", "Thanks, goodbye!"));
        await host.Send(host.Admin, new CreateCannedResponse("a-thank", "You are welcome."));
        await host.Send(host.Admin, new CreateCannedResponse("refund", "Refunds take a week."));

        Assert.Equal(["thanks", "a-thank", "bye"], (await host.Ask(grace, new ListCannedResponses("THANK"))).Select(c => c.ShortCode));
        Assert.Equal(["refund"], (await host.Ask(grace, new ListCannedResponses("week"))).Select(c => c.ShortCode));
        Assert.Empty(await host.Ask(grace, new ListCannedResponses("nothing like it")));
        Assert.Equal(4, (await host.Ask(grace, new ListCannedResponses(""))).Count);
        await Refusal.Invalid("search", () => host.Ask(grace, new ListCannedResponses(new string('x', CannedResponseRules.MaxSearchLength + 1))));
    }

    [Fact]
    public async Task Only_administrators_write_canned_responses_and_only_agents_read_them()
    {
        await using var host = await UseCaseHost.StartAsync();
        var grace = await host.AgentAsync();
        var ann = await host.ContactAsync();
        var hello = await host.Send(host.Admin, new CreateCannedResponse("hello", "Hi"));

        await Refusal.Forbidden(() => host.Send(grace, new CreateCannedResponse("mine", "Mine")));
        await Refusal.Forbidden(() => host.Send(grace, new UpdateCannedResponse(hello.Id, null, "Changed")));
        await Refusal.Forbidden(() => host.Send(grace, new DeleteCannedResponse(hello.Id)));
        await Refusal.Forbidden(() => host.Ask(ann, new ListCannedResponses()));
        Assert.Equal([hello], await host.Ask(grace, new ListCannedResponses()));
    }

    [Fact]
    public async Task Short_codes_are_unique_without_spaces_and_bounded_and_content_is_bounded()
    {
        await using var host = await UseCaseHost.StartAsync();
        var hello = await host.Send(host.Admin, new CreateCannedResponse("hello", "Hi"));
        var other = await host.Send(host.Admin, new CreateCannedResponse("other", "Other"));

        await Refusal.Invalid("short_code", () => host.Send(host.Admin, new CreateCannedResponse("hello", "Again")));
        await Refusal.Invalid("short_code", () => host.Send(host.Admin, new UpdateCannedResponse(other.Id, "hello", null)));
        foreach (var shortCode in new[] { null, "", "two words", "tab\there", "new\nline", new string('x', CannedResponseRules.MaxShortCodeLength + 1), "\ud800" })
            await Refusal.Invalid("short_code", () => host.Send(host.Admin, new CreateCannedResponse(shortCode, "Content")));
        await Refusal.Invalid("short_code", () => host.Send(host.Admin, new UpdateCannedResponse(hello.Id, "", null)));
        foreach (var content in new[] { null, "", new string('x', CannedResponseRules.MaxContentLength + 1), "nul\0" })
            await Refusal.Invalid("content", () => host.Send(host.Admin, new CreateCannedResponse("new", content)));
        await Refusal.Invalid("content", () => host.Send(host.Admin, new UpdateCannedResponse(hello.Id, null, "")));

        // At the bounds, and a short code differing only in case is another one (exact, as Rails' uniqueness).
        var longest = await host.Send(host.Admin, new CreateCannedResponse(new string('s', CannedResponseRules.MaxShortCodeLength),
            new string('c', CannedResponseRules.MaxContentLength)));
        Assert.Equal(CannedResponseRules.MaxContentLength, longest.Content.Length);
        await host.Send(host.Admin, new CreateCannedResponse("Hello", "Hi"));
        // Its own short code is no conflict.
        Assert.Equal("hello", (await host.Send(host.Admin, new UpdateCannedResponse(hello.Id, "hello", "Hi there"))).ShortCode);
        Assert.Equal(4, (await host.Ask(host.Admin, new ListCannedResponses())).Count);
    }

    [Fact]
    public async Task The_account_holds_at_most_its_limit_of_canned_responses()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxCannedResponses"] = "2" });
        await host.Send(host.Admin, new CreateCannedResponse("one", "1"));
        var two = await host.Send(host.Admin, new CreateCannedResponse("two", "2"));

        await Refusal.Invalid("short_code", () => host.Send(host.Admin, new CreateCannedResponse("three", "3")));
        await host.Send(host.Admin, new DeleteCannedResponse(two.Id));
        await host.Send(host.Admin, new CreateCannedResponse("three", "3"));
        Assert.Equal(["one", "three"], (await host.Ask(host.Admin, new ListCannedResponses())).Select(c => c.ShortCode));
    }
}
