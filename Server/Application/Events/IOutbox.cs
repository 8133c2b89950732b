using ChatHub.Server.Storage;

namespace ChatHub.Server.Application.Events;

/// <summary>Durable deliveries of events (webhooks): written in the same transaction as the change they report, so
/// a committed change always has them and a rolled-back one never does. Unlike <see cref="IEventSink"/>, it runs
/// before the commit, inside it.</summary>
public interface IOutbox
{
    ValueTask RecordAsync(IStoreTransaction store, IReadOnlyList<ChatEvent> changes);

    /// <summary>For events that are not stored (typing): records them in a transaction of their own, only when
    /// something subscribes to them (so that unsubscribed typing costs one read, no write).</summary>
    Task RecordUnstoredAsync(IChatStore store, IReadOnlyList<ChatEvent> changes);
}
