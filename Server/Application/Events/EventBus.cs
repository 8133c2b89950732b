namespace ChatHub.Server.Application.Events;

/// <summary>A transport or integration that turns events into pushes or deliveries. Called in commit order on the
/// committing thread: a sink must not block (queue the work, or start it and observe it).</summary>
public interface IEventSink
{
    void Publish(ChatEvent change);
}

/// <summary>Hands each committed event to every sink, in commit order.</summary>
public sealed class EventBus(IEnumerable<IEventSink> sinks, ILogger<EventBus> logger)
{
    private readonly IEventSink[] _sinks = sinks.ToArray();

    public void Publish(IReadOnlyList<ChatEvent> changes)
    {
        foreach (var change in changes)
        {
            foreach (var sink in _sinks)
            {
                // One failing sink never keeps the others, or the next events, from being published.
                try { sink.Publish(change); }
                catch (Exception ex) { logger.LogError(ex, "{Sink} failed on {Event}", sink.GetType().Name, change.GetType().Name); }
            }
        }
    }
}
