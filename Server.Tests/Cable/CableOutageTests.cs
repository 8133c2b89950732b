using System.Net;
using System.Net.WebSockets;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.ScaleOut;
using Xunit;

namespace ChatHub.Server.Tests.Cable;

/// <summary>/cable when a node loses Redis: new sockets are refused at once (SignalR's backplane cannot take them), and
/// once Redis is back the sockets that were open through the outage, whose broadcasts may have been lost, are told
/// to reconnect (Chatwoot's widget fetches the latest messages when it does).</summary>
public sealed class CableOutageTests
{
    [Fact, Trait("Store", "SharedDatabase")] // two nodes on one database: not on LiteDB (one process per file)
    public async Task After_a_Redis_outage_open_sockets_are_told_to_reconnect_and_new_ones_are_refused_during_it()
    {
        await using var nodes = await TwoNodes.StartAsync(proxyRedisOfA: true);
        var link = nodes.RedisLinkOfA!;
        var contact = await nodes.A.CreateContact("Ann");
        var identifier = RawCable.Identifier(contact.PubsubToken);
        await using var cable = await RawCable.ConnectAsync(nodes.A);
        await cable.Subscribe(identifier);
        await cable.WaitForBroadcast(identifier, "presence.update");

        link.RefuseConnections = true;
        link.DropAll();
        await TwoNodes.WaitForHealth(nodes.A, "degraded");
        using (var refused = new ClientWebSocket())
        {
            refused.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() =>
                refused.ConnectAsync(new UriBuilder(new Uri(nodes.A.BaseUrl, "/cable")) { Scheme = "ws" }.Uri, CancellationToken.None));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.HttpStatusCode);
        }

        link.RefuseConnections = false;
        await nodes.WaitHealthyAsync(nodes.A);
        var disconnect = await cable.WaitFor(f => f.TryGetProperty("type", out var t) && t.GetString() == "disconnect", "disconnect");
        Assert.True(disconnect.GetProperty("reconnect").GetBoolean());
        await cable.WaitClosed();
    }
}
