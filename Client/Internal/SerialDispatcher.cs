using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

/// <summary>Runs pushes and the Closed event one at a time, in arrival order, off the receive loop: a handler
/// may await a hub call (whose answer the receive loop must still read) without deadlocking, and the app sees
/// the server's order. It outlives transports, so order holds across a reconnect.</summary>
internal sealed class SerialDispatcher : IAsyncDisposable
{
    private static readonly AsyncLocal<SerialDispatcher?> s_current = new();

    private readonly Channel<object> _queue =
        Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<InvocationMessage, Task> _dispatchPush;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public SerialDispatcher(Func<InvocationMessage, Task> dispatchPush, ILogger logger)
    {
        _dispatchPush = dispatchPush;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>True inside a handler (or code it started): waiting for the queue there would deadlock.</summary>
    public bool IsCurrent => s_current.Value == this;

    public bool Enqueue(InvocationMessage push) => _queue.Writer.TryWrite(push);

    public bool Enqueue(Func<Task> work) => _queue.Writer.TryWrite(work);

    /// <summary>Runs what is queued, then stops. Does not wait when called from a handler.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (!IsCurrent)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        s_current.Value = this;
        await foreach (var item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await (item is InvocationMessage push ? _dispatchPush(push) : ((Func<Task>)item)()).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Handlers catch their own failures; this only guards the loop itself.
                _logger.LogError(ex, "Dispatching a queued item failed.");
            }
        }
    }
}
