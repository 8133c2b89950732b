using ChatHub.Contracts;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>An app's IChatClient that records every push in arrival order, so tests can wait for one and
/// check what did (or did not) arrive.</summary>
public sealed class RecordingClient : IChatClient
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);
    private readonly List<object> _events = [];

    public IReadOnlyList<object> Events { get { lock (_events) return _events.ToList(); } }

    public IReadOnlyList<T> All<T>() => Events.OfType<T>().ToList();

    /// <summary>Waits for the first push of type T matching <paramref name="match"/> (a generous bound that
    /// only guards against hanging; it is not a speed assertion).</summary>
    public async Task<T> WaitFor<T>(Func<T, bool>? match = null, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultWait);
        while (DateTime.UtcNow < deadline)
        {
            var found = All<T>().FirstOrDefault(e => match?.Invoke(e) ?? true);
            if (found is not null) return found;
            await Task.Delay(10);
        }
        throw new TimeoutException($"no {typeof(T).Name} push arrived that matched; got: {string.Join(", ", Events.Select(e => e.GetType().Name))}");
    }

    public async Task<IReadOnlyList<T>> WaitForCount<T>(int count, Func<T, bool>? match = null)
    {
        var deadline = DateTime.UtcNow + DefaultWait;
        while (DateTime.UtcNow < deadline)
        {
            var found = All<T>().Where(e => match?.Invoke(e) ?? true).ToList();
            if (found.Count >= count) return found;
            await Task.Delay(10);
        }
        throw new TimeoutException($"fewer than {count} {typeof(T).Name} pushes arrived");
    }

    private Task Record(object e)
    {
        lock (_events) _events.Add(e);
        return Task.CompletedTask;
    }

    public Task MessageCreated(MessageDto message) => Record(new Pushed.MessageCreated(message));
    public Task MessageUpdated(MessageDto message) => Record(new Pushed.MessageUpdated(message));
    public Task ConversationCreated(ConversationDto conversation) => Record(new Pushed.ConversationCreated(conversation));
    public Task ConversationUpdated(ConversationDto conversation) => Record(new Pushed.ConversationUpdated(conversation));
    public Task Typing(TypingEvent typing) => Record(typing);
    public Task PresenceChanged(PresenceEvent presence) => Record(presence);
    public Task ContactUpdated(ContactDto contact) => Record(new Pushed.ContactUpdated(contact));
    public Task InboxAvailabilityChanged(InboxAvailabilityEvent availability) => Record(availability);
    public Task InboxMembersChanged(InboxMembersEvent change) => Record(change);
    public Task SneakPeek(SneakPeekEvent peek) => Record(peek);
    public Task VisitorChanged(VisitorDto visitor) => Record(visitor);
}

/// <summary>Pushes that share a payload type, told apart by the method that delivered them.</summary>
public static class Pushed
{
    public sealed record MessageCreated(MessageDto Message);
    public sealed record MessageUpdated(MessageDto Message);
    public sealed record ConversationCreated(ConversationDto Conversation);
    public sealed record ConversationUpdated(ConversationDto Conversation);
    public sealed record ContactUpdated(ContactDto Contact);
}
