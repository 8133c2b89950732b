namespace ChatHub.Server.Application.Events;

/// <summary>A transport or integration that turns events into pushes or deliveries. Called in commit order on the
/// committing thread: a sink must not block (queue the work, or start it and observe it).</summary>
public interface IEventSink
{
    void Publish(ChatEvent change);

    /// <summary>Work the caller's answer must wait for (after the commit, off the committing thread): e.g. an agent
    /// added to an inbox is in that inbox's group on every node before the administrator is answered.</summary>
    Task SettleAsync(ChatEvent change) => Task.CompletedTask;
}

/// <summary>Hands each committed event to every sink, in commit order.</summary>
public sealed class EventBus(IEnumerable<IEventSink> sinks, ILogger<EventBus> logger)
{
    private readonly IEventSink[] _sinks = sinks.ToArray();

    public Task SettleAsync(IReadOnlyList<ChatEvent> changes)
    {
        List<Task>? pending = null;
        foreach (var change in changes)
        {
            foreach (var sink in _sinks)
            {
                var settling = sink.SettleAsync(change);
                if (!settling.IsCompletedSuccessfully) (pending ??= []).Add(settling);
            }
        }
        return pending is null ? Task.CompletedTask : Task.WhenAll(pending);
    }

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
