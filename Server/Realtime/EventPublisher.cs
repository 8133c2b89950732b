using System.Threading.Channels;
using ChatHub.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Realtime;

/// <summary>Who a push goes to: the conversation's contact (all its connections), the agents of an inbox,
/// minus one connection (a sender's own).</summary>
public sealed record Audience(string? ContactGroup, long? InboxId, string? ExceptConnectionId = null);

/// <summary>Sends pushes through IHubContext and groups only (so it works unchanged behind a backplane).
/// Pushes are started one at a time, in the order they were published (the store publishes in commit
/// order), so every connection receives a conversation's changes in seq order. A slow connection does not
/// hold the others up: sends are started in order but not awaited one by one.</summary>
public sealed class EventPublisher : BackgroundService
{
    private readonly IHubContext<ChatHub, IChatClient> _hub;
    private readonly ILogger<EventPublisher> _logger;
    private readonly Channel<Action<IHubClients<IChatClient>>> _pushes =
        Channel.CreateUnbounded<Action<IHubClients<IChatClient>>>(new UnboundedChannelOptions { SingleReader = true });

    public EventPublisher(IHubContext<ChatHub, IChatClient> hub, ILogger<EventPublisher> logger)
    {
        _hub = hub;
        _logger = logger;
    }

    /// <summary>Queues one push: <paramref name="toContact"/> to the contact's group, <paramref name="toAgents"/>
    /// to the inbox's group (either may be null).</summary>
    public void Publish(Audience audience, Func<IChatClient, Task>? toContact, Func<IChatClient, Task>? toAgents)
    {
        _pushes.Writer.TryWrite(clients =>
        {
            if (toContact is not null && audience.ContactGroup is { } contactGroup)
                Observe(toContact(Group(clients, contactGroup, audience.ExceptConnectionId)));
            if (toAgents is not null && audience.InboxId is { } inboxId)
                Observe(toAgents(Group(clients, Groups.Inbox(inboxId), audience.ExceptConnectionId)));
        });
    }

    /// <summary>Queues a push to one group.</summary>
    public void PublishToGroup(string group, Func<IChatClient, Task> push) =>
        _pushes.Writer.TryWrite(clients => Observe(push(clients.Group(group))));

    private static IChatClient Group(IHubClients<IChatClient> clients, string group, string? except) =>
        except is null ? clients.Group(group) : clients.GroupExcept(group, except);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var push in _pushes.Reader.ReadAllAsync(CancellationToken.None))
        {
            try { push(_hub.Clients); }
            catch (Exception ex) { _logger.LogError(ex, "Push failed"); }
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _pushes.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    private void Observe(Task send)
    {
        if (send.IsCompletedSuccessfully) return;
        send.ContinueWith(t => _logger.LogWarning(t.Exception, "Push failed"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
