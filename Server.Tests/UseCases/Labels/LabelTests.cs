using ChatHub.Server.Features.Labels;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;

namespace ChatHub.Server.Tests.UseCases.Labels;

/// <summary>Account labels' rules, in-process: administrators create, change and delete them, every agent lists them; a
/// title is letters, digits, '-' and '_', kept in lower case and unique whatever its case; colors are #rrggbb; the
/// account has at most Limits:MaxLabelsPerAccount and a title at most Limits:MaxLabelTitleLength characters.</summary>
public sealed class LabelTests
{
    [Fact]
    public async Task An_administrator_creates_changes_and_deletes_labels_that_every_agent_lists_by_title()
    {
        await using var host = await UseCaseHost.StartAsync();
        var grace = await host.AgentAsync();

        var vip = await host.Send(host.Admin, new CreateLabel("VIP", "Important customers", "#FF0000", true));
        Assert.Equal(("vip", "Important customers", "#FF0000", true), (vip.Title, vip.Description, vip.Color, vip.ShowOnSidebar));
        var billing = await host.Send(host.Admin, new CreateLabel("billing_2-é", null, null, null));
        Assert.Equal(("billing_2-é", null, LabelRules.DefaultColor, false), (billing.Title, billing.Description, billing.Color, billing.ShowOnSidebar));
        Assert.Equal(["billing_2-é", "vip"], (await host.Ask(grace, new ListLabels())).Select(l => l.Title));

        // What is left out stays.
        var changed = await host.Send(host.Admin, new UpdateLabel(vip.Id, "Gold", null, "#abc", null));
        Assert.Equal(new LabelDto(vip.Id, "gold", "Important customers", "#abc", true), changed);
        Assert.Equal(changed, (await host.Ask(grace, new ListLabels())).Single(l => l.Id == vip.Id));

        await host.Send(host.Admin, new DeleteLabel(billing.Id));
        Assert.Equal([vip.Id], (await host.Ask(grace, new ListLabels())).Select(l => l.Id));
        await Refusal.NotFound(() => host.Send(host.Admin, new DeleteLabel(billing.Id)));
        await Refusal.NotFound(() => host.Send(host.Admin, new UpdateLabel(billing.Id, "x", null, null, null)));
    }

    [Fact]
    public async Task Only_administrators_write_labels_and_only_agents_read_them()
    {
        await using var host = await UseCaseHost.StartAsync();
        var grace = await host.AgentAsync();
        var ann = await host.ContactAsync();
        var label = await host.Send(host.Admin, new CreateLabel("vip", null, null, null));

        await Refusal.Forbidden(() => host.Send(grace, new CreateLabel("mine", null, null, null)));
        await Refusal.Forbidden(() => host.Send(grace, new UpdateLabel(label.Id, "mine", null, null, null)));
        await Refusal.Forbidden(() => host.Send(grace, new DeleteLabel(label.Id)));
        await Refusal.Forbidden(() => host.Ask(ann, new ListLabels()));
        Assert.Equal([label], await host.Ask(host.Admin, new ListLabels()));
    }

    [Fact]
    public async Task Titles_are_unique_whatever_their_case_well_formed_and_bounded_and_colors_are_hex()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxLabelTitleLength"] = "8" });
        var vip = await host.Send(host.Admin, new CreateLabel("vip", null, null, null));
        var other = await host.Send(host.Admin, new CreateLabel("other", null, null, null));

        await Refusal.Invalid("title", () => host.Send(host.Admin, new CreateLabel("VIP", null, null, null)));
        await Refusal.Invalid("title", () => host.Send(host.Admin, new UpdateLabel(other.Id, "Vip", null, null, null)));
        foreach (var title in new[] { null, "", "two words", "a/b", "emoji😀", "123456789" })
            await Refusal.Invalid("title", () => host.Send(host.Admin, new CreateLabel(title, null, null, null)));
        await Refusal.Invalid("title", () => host.Send(host.Admin, new UpdateLabel(vip.Id, "", null, null, null)));
        foreach (var color in new[] { "red", "#12345", "#1234567", "1f93ff", "#ggg" })
            await Refusal.Invalid("color", () => host.Send(host.Admin, new CreateLabel("c", null, color, null)));
        await Refusal.Invalid("description", () => host.Send(host.Admin, new CreateLabel("d", new string('x', LabelRules.MaxDescriptionLength + 1), null, null)));
        // Its own title, in another case, is no conflict.
        Assert.Equal("vip", (await host.Send(host.Admin, new UpdateLabel(vip.Id, "VIP", null, null, null))).Title);
        Assert.Equal(["other", "vip"], (await host.Ask(host.Admin, new ListLabels())).Select(l => l.Title));
    }

    [Fact]
    public async Task The_account_holds_at_most_its_limit_of_labels()
    {
        await using var host = await UseCaseHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxLabelsPerAccount"] = "2" });
        await host.Send(host.Admin, new CreateLabel("one", null, null, null));
        var two = await host.Send(host.Admin, new CreateLabel("two", null, null, null));

        await Refusal.Invalid("title", () => host.Send(host.Admin, new CreateLabel("three", null, null, null)));
        await host.Send(host.Admin, new DeleteLabel(two.Id));
        await host.Send(host.Admin, new CreateLabel("three", null, null, null));
        Assert.Equal(["one", "three"], (await host.Ask(host.Admin, new ListLabels())).Select(l => l.Title));
    }
}
