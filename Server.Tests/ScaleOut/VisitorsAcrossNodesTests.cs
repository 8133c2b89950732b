using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Visitors;
using Xunit;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>Visitors on the site across two nodes sharing one SQLite file and a real redis-server (issue 27): a visitor
/// whose widget reports to node A is pushed to, and listed for, an agent connected to node B; the agent's chat started
/// through B reaches the widget's next report to A; the visitor leaves after the window as both nodes see it.</summary>
public sealed class VisitorsAcrossNodesTests
{
    [Fact]
    public async Task A_visitor_reporting_to_node_A_is_seen_live_through_node_B_and_a_chat_started_on_B_reaches_it_through_A()
    {
        await using var nodes = await TwoNodes.StartAsync(storage: VisitorTests.ShortWindow);
        var ann = await nodes.A.CreateAgent("Ann");
        await using var annOnB = await HubSession.ConnectAsync(nodes.B, ann.AccessToken!);
        using var annHttpOnB = nodes.B.AgentHttp(ann.AccessToken!);
        using var visitor = new TestVisitor(nodes.A.InboxIdentifier);

        var visit = await visitor.ViewAsync(nodes.A, "https://shop.example.com/", "Shop");
        await visitor.ViewAsync(nodes.A, "https://shop.example.com/cart", "Cart");
        var pushed = await annOnB.Pushes.WaitFor<VisitorDto>(v => v.Id == visit.VisitorId && v.PagesThisVisit == 2);
        Assert.Equal("https://shop.example.com/cart", pushed.CurrentPage!.Url);
        var listed = Assert.Single((await annHttpOnB.GetRead<VisitorListDto>("/api/v1/visitors")).Payload);
        Assert.Equal(["https://shop.example.com/", "https://shop.example.com/cart"], listed.Pages.Select(p => p.Url));

        // The next page view goes to node B: the same visit continues there.
        var third = await visitor.ViewAsync(nodes.B, "https://shop.example.com/checkout", "Checkout");
        Assert.Equal(visit.VisitorId, third.VisitorId);
        Assert.Equal(3, (await annOnB.Pushes.WaitFor<VisitorDto>(v => v.PagesThisVisit == 3)).Pages.Count);

        var chat = await annHttpOnB.PostRead<ConversationDto>($"/api/v1/inboxes/1/visitors/{visit.VisitorId}/conversations",
            new { content = "Need help with checkout?" });
        var invitation = (await visitor.BeatAsync(nodes.A)).Invitation;
        Assert.Equal(chat.Id, invitation!.ConversationId);

        using var annHttpOnA = nodes.A.AgentHttp(ann.AccessToken!);
        await VisitorTests.Eventually(async () => (await annHttpOnA.GetRead<VisitorListDto>("/api/v1/visitors")).Payload.Count == 0
            && (await annHttpOnB.GetRead<VisitorListDto>("/api/v1/visitors")).Payload.Count == 0, "the visitor gone after the window on both nodes");
    }
}
