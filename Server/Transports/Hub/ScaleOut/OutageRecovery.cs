using ChatHub.Server.Sinks.SignalR;

namespace ChatHub.Server.Transports.Hub.ScaleOut;

/// <summary>Makes good what a Redis outage cost (README "Scale-out"). While Redis is away, SignalR's backplane
/// delivers nothing, not even between connections of one node, and after it returns a push can still miss a node
/// that has not subscribed again yet. So each time this node's backplane turns healthy again (it hears the other
/// nodes once more):
/// <list type="bullet">
/// <item>every hub connection of this node is closed with "reconnect allowed": its client reconnects (to any node)
/// and fetches what it missed with GetMessages {afterSeq}, as API.md asks of clients. Whatever another node pushed
/// before this node was back is committed before that fetch, and everything after reaches the new connection;</item>
/// <item>the pushes this node could not publish are published again, in their order (<see cref="EventPublisher"/>),
/// for the clients of nodes that never lost Redis (an outage of this node's link only);</item>
/// <item>rechecks of connections (changes of rights) not every node confirmed are sent again (<see cref="RedisRechecks"/>).</item>
/// </list>
/// At a node's start the first healthy moment closes nothing: hub connections are refused until then.</summary>
/// <remarks>Being a hosted service, it also creates <see cref="RedisRechecks"/> at start, so that its channel is
/// subscribed before the node reports healthy, not at the first agent connection.</remarks>
public sealed class OutageRecovery(RedisBackplane backplane, HubConnections connections, EventPublisher publisher,
    RedisRechecks rechecks, ILogger<OutageRecovery> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        backplane.BecameHealthy += OnHealthy;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        backplane.BecameHealthy -= OnHealthy;
        return Task.CompletedTask;
    }

    private void OnHealthy()
    {
        var closed = connections.CloseAll();
        if (closed > 0) logger.LogInformation("Redis is back: {Count} hub connections were closed so that their clients reconnect and resync", closed);
        publisher.ResendFailed();
        rechecks.SendUnconfirmedAgain();
    }
}
