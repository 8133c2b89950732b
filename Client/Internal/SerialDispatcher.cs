using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

/// <summary>Runs queued work one item at a time, in the order queued: the reliable layer's pushes, catch-ups and
/// connection events, so its tracker needs no locks and the app sees the server's order. It outlives the
/// connection's sockets, so order holds across a reconnect; a handler may await a hub call, whose answer the
/// official connection's receive loop reads independently of this queue.</summary>
internal sealed class SerialDispatcher : IAsyncDisposable
{
    private static readonly AsyncLocal<SerialDispatcher?> s_current = new();

    private readonly Channel<Func<Task>> _queue =
        Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly Task _loop;

    public SerialDispatcher(ILogger logger)
    {
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>True inside queued work (or code it started): waiting for the queue there would deadlock.</summary>
    public bool IsCurrent => s_current.Value == this;

    /// <summary>False once the dispatcher is disposed.</summary>
    public bool Enqueue(Func<Task> work) => _queue.Writer.TryWrite(work);

    /// <summary>Runs what is queued, then stops. Does not wait when called from queued work.</summary>
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
        await foreach (var work in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Handlers catch their own failures; this only guards the loop itself.
                _logger.LogError(ex, "Queued work failed.");
            }
        }
    }
}
