using ChatHub.Contracts;
using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

/// <summary>The app's <see cref="IChatClient"/> handlers, called one after another; a handler that throws is
/// logged and the others still run.</summary>
internal sealed class AppHandlers(ILogger logger) : IChatClient
{
    private IChatClient[] _handlers = [];

    public IDisposable Add(IChatClient handler)
    {
        Swap(handlers => [.. handlers, handler]);
        return new Registration(() => Swap(handlers => handlers.Where(h => h != handler).ToArray()));
    }

    public Task MessageCreated(MessageDto message) => EachAsync(h => h.MessageCreated(message));

    public Task MessageUpdated(MessageDto message) => EachAsync(h => h.MessageUpdated(message));

    public Task ConversationCreated(ConversationDto conversation) => EachAsync(h => h.ConversationCreated(conversation));

    public Task ConversationUpdated(ConversationDto conversation) => EachAsync(h => h.ConversationUpdated(conversation));

    public Task Typing(TypingEvent typing) => EachAsync(h => h.Typing(typing));

    public Task PresenceChanged(PresenceEvent presence) => EachAsync(h => h.PresenceChanged(presence));

    public Task ContactUpdated(ContactDto contact) => EachAsync(h => h.ContactUpdated(contact));
    public Task InboxAvailabilityChanged(InboxAvailabilityEvent availability) => EachAsync(h => h.InboxAvailabilityChanged(availability));

    public Task InboxMembersChanged(InboxMembersEvent change) => EachAsync(h => h.InboxMembersChanged(change));

    private async Task EachAsync(Func<IChatClient, Task> call)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                await call(handler).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "An app handler threw; delivery continues.");
            }
        }
    }

    private void Swap(Func<IChatClient[], IChatClient[]> update)
    {
        IChatClient[] current, next;
        do
        {
            current = Volatile.Read(ref _handlers);
            next = update(current);
        }
        while (Interlocked.CompareExchange(ref _handlers, next, current) != current);
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                remove();
            }
        }
    }
}
