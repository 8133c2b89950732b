using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ChatHub.Server.Channels.Hub;

/// <summary>The output of one hub connection, holding back everything SignalR writes (the handshake answer first)
/// until the hub has put the connection in its groups: SignalR answers the handshake before it runs the hub's
/// OnConnectedAsync, so without this a client's <c>start()</c> resolves while its groups are still being joined (behind
/// Redis: subscribed), and a push made in that window never reaches it. <see cref="Open"/> releases what was held,
/// in order, and from then on writes go straight through; <see cref="Refuse"/> drops it and answers the handshake with
/// an error instead ("unavailable: ..."), so a client never waits on a connection that cannot be served.
/// <para>SignalR writes one message at a time (its own write lock): GetSpan/GetMemory and Advance, then FlushAsync.
/// Held writes go to a buffer of our own; the decision (open or refuse) is applied at a message boundary, by the
/// caller of <see cref="Open"/>/<see cref="Refuse"/> when no message is being written, otherwise by the writer's
/// FlushAsync, so the inner writer is never used by two threads at once.</para></summary>
public sealed class HandshakeGate(PipeWriter inner) : PipeWriter
{
    private enum State { Holding, Open, Refused }

    /// <summary>What SignalR writes for an accepted handshake, whatever the protocol.</summary>
    private static readonly byte[] SuccessfulHandshake = "{}\u001e"u8.ToArray();

    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _held = new(256);
    private volatile State _state = State.Holding;
    private (State To, string? Error)? _pending; // a decision waiting for the message being written to end
    private bool _writingHeld; // the writer's current message goes to _held (set and cleared by the writer)
    private Task<FlushResult>? _releaseFlush; // the flush that released the held bytes, if it did not complete at once

    /// <summary>Releases what was held and lets every later write through. False when already decided.</summary>
    public bool Open() => Decide(State.Open, null);

    /// <summary>Drops what was held and answers the handshake with <paramref name="error"/>; every later write is
    /// dropped. False when already decided (an opened connection is not refused).</summary>
    public bool Refuse(string error) => Decide(State.Refused, error);

    /// <summary>For a connection that ended without being opened: a handshake SignalR refused itself (an unknown
    /// protocol, say) goes out as SignalR wrote it; anything else (the hub could not put the connection in its groups)
    /// is refused with <paramref name="error"/>.</summary>
    public bool End(string error) => Decide(null, error);

    /// <param name="to">Null: decided by what is held (see <see cref="End"/>).</param>
    private bool Decide(State? to, string? error)
    {
        lock (_lock)
        {
            if (_state != State.Holding || _pending is not null) return false;
            to ??= _held.WrittenCount > 0 && !_held.WrittenSpan.StartsWith(SuccessfulHandshake) ? State.Open : State.Refused;
            if (_writingHeld) _pending = (to.Value, error); // applied by the writer's FlushAsync
            else Apply(to.Value, error);
            return true;
        }
    }

    /// <summary>Under the lock, with no message being written.</summary>
    private ValueTask<FlushResult> Apply(State to, string? error)
    {
        if (to == State.Open) inner.Write(_held.WrittenSpan);
        else HandshakeProtocol.WriteResponseMessage(new HandshakeResponseMessage(error), inner);
        _held.Clear();
        _pending = null;
        var flush = inner.FlushAsync();
        if (!flush.IsCompletedSuccessfully)
        {
            _releaseFlush = flush.AsTask(); // a ValueTask is awaited once: later flushes wait on this Task instead
            flush = new ValueTask<FlushResult>(_releaseFlush);
        }
        _state = to; // last: a writer that sees Open finds the release flush above
        return flush;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => Route() ? inner.GetMemory(sizeHint) : _held.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => Route() ? inner.GetSpan(sizeHint) : _held.GetSpan(sizeHint);

    /// <summary>True: this message goes to the inner writer.</summary>
    private bool Route()
    {
        if (_writingHeld) return false; // a message already under way in _held ends there
        if (_state == State.Open) return true;
        lock (_lock)
        {
            if (_state == State.Open) return true;
            _writingHeld = true;
            return false;
        }
    }

    public override void Advance(int bytes)
    {
        if (_writingHeld) _held.Advance(bytes);
        else inner.Advance(bytes);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (!_writingHeld)
        {
            if (_state != State.Open) return Held; // nothing was written to the inner writer
            return _releaseFlush is { IsCompleted: false } release
                ? AfterAsync(release, cancellationToken)
                : inner.FlushAsync(cancellationToken);
        }
        lock (_lock)
        {
            _writingHeld = false;
            if (_pending is { } decision) return Apply(decision.To, decision.Error);
            if (_state == State.Refused) _held.Clear();
            return Held;
        }
    }

    private static ValueTask<FlushResult> Held => new(new FlushResult(isCanceled: false, isCompleted: false));

    private async ValueTask<FlushResult> AfterAsync(Task release, CancellationToken cancellationToken)
    {
        await release.ConfigureAwait(false);
        return await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
}
