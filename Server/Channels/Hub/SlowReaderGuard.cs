using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using ChatHub.Server.Common;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Channels.Hub;

/// <summary>Bounds what the server holds for a connection whose client stops reading (issue 9).
///
/// <para>The problem: SignalR's <c>HubConnectionContext</c> writes under a per-connection lock. When the peer stops
/// reading, the transport's pipe fills (<c>TransportMaxBufferSize</c>, 64 KB), the flush made under the lock stays
/// pending, and every later push to that connection waits for the lock holding its message. Memory grows with every
/// push until the transport's own send timeout (10 s of one stalled socket send) closes the connection, which is
/// plenty of time for a burst to pile up hundreds of megabytes.</para>
///
/// <para>The guard: each hub connection writes into a buffer of its own (<see cref="GuardedOutput"/>) whose flush never
/// waits, and a pump hands that buffer on to the transport's pipe whenever the transport has taken what it was handed
/// before. So the hub's lock is never held across a stalled peer, nothing queues in front of it, and what waits for
/// the transport is in one place where it is counted. When a message is written while more than
/// <see cref="ChatLimits.MaxUnsentBytesPerConnection"/> bytes already wait there, the connection is aborted; its client
/// reconnects and resyncs by seq (API.md). A reading client never comes near the budget: the socket's kernel buffers
/// (megabytes) absorb bursts before any byte waits here. What the server holds for a connection is thus at most the
/// budget, one message, and one batch being sent (at most the same again).</para>
///
/// <para>Time is not the guard's business: the transport already closes a connection whose single send stalls for
/// <see cref="HttpConnectionDispatcherOptions.TransportSendTimeout"/>. The budget adds the bound on bytes.</para></summary>
public static class SlowReaderGuard
{
    /// <summary>Puts the guard in front of the hub of a connection pipeline (see HubChannel.MapHubChannel); a limit of 0
    /// leaves it out.
    /// <para>With <c>AllowStatefulReconnects</c>: SignalR's stateful-reconnect buffer is handed the transport's new raw
    /// writer on a reconnect, which bypasses the guard from then on, and it waits for acknowledgements (up to 5 s per
    /// write) under the hub's write lock. SlowReaderTests run with it on.</para></summary>
    public static IConnectionBuilder UseSlowReaderGuard(this IConnectionBuilder connection, long limit, ILogger logger) =>
        limit > 0 ? connection.Use(next => context => Guard(context, next, limit, logger)) : connection;

    private static Task Guard(ConnectionContext connection, ConnectionDelegate next, long limit, ILogger logger)
    {
        var output = new GuardedOutput(connection, limit, logger);
        // The framework completes connection.Transport.Output when the hub is done, which is ours from now on: the
        // pump then forwards what is left and completes the transport's writer itself.
        connection.Transport = new GuardedPipe(connection.Transport.Input, output);
        output.StartPump();
        return next(connection);
    }

    private sealed record GuardedPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}

/// <summary>A connection's output as the hub sees it: writes go into a buffer of our own that never makes the hub
/// wait, and <see cref="PumpAsync"/> hands them on to the transport's writer, one batch at a time: everything in the
/// buffer, once the transport has taken the batch before (its flush completed). Bytes in the buffer, not yet handed
/// on, are counted; a flush that finds more than the limit already waiting aborts the connection.
///
/// <para>Threading: the hub writes one message at a time (its write lock), as any PipeWriter requires, so the writer's
/// fields are touched by one thread at a time; the pump is the only other party and shares one counter,
/// <see cref="_handedOn"/>. The buffer's reader is scheduled inline: on a connection that keeps up, the pump runs inside
/// the hub's flush and copies the message straight on, with no extra thread hop per push.</para></summary>
internal sealed class GuardedOutput : PipeWriter
{
    private static readonly PipeOptions BufferOptions = new(
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0, // never waits: the budget bounds this buffer instead
        resumeWriterThreshold: 0,
        useSynchronizationContext: false);

    private static readonly FlushResult Discarded = new(isCanceled: false, isCompleted: true);

    private readonly ConnectionContext _connection;
    private readonly PipeWriter _transport;
    private readonly Pipe _buffer = new(BufferOptions);
    private readonly long _limit;
    private readonly ILogger _logger;

    // Writer side.
    private long _unflushed;
    private long _flushed;
    private bool _aborted;
    private byte[]? _discard;

    // Written by the pump only: bytes it copied into the transport's pipe.
    private long _handedOn;
    private volatile bool _pumpEnded;

    public GuardedOutput(ConnectionContext connection, long limit, ILogger logger)
    {
        _connection = connection;
        _transport = connection.Transport.Output;
        _limit = limit;
        _logger = logger;
    }

    public void StartPump() => _ = PumpAsync();

    // Once aborted, writes go nowhere: the hub may write a few more messages before it notices the abort.
    public override Memory<byte> GetMemory(int sizeHint = 0) => _aborted ? Discard(sizeHint) : _buffer.Writer.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _aborted ? Discard(sizeHint).Span : _buffer.Writer.GetSpan(sizeHint);

    public override void Advance(int bytes)
    {
        if (_aborted) return;
        _buffer.Writer.Advance(bytes);
        _unflushed += bytes;
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_aborted) return new ValueTask<FlushResult>(Discarded);
        var waiting = _flushed - Volatile.Read(ref _handedOn);
        _flushed += _unflushed;
        _unflushed = 0;
        // What waits before this message counts, not the message itself: a connection that keeps up accepts any
        // message, however big (a page of history may be), and its pump hands it on at once, so it does not count
        // against what follows either. After the pump ended (the transport is gone), nothing is sent any more and
        // the buffer discards what it gets: the connection is closing anyway.
        if (waiting > _limit && !_pumpEnded)
        {
            Abort(waiting);
            return new ValueTask<FlushResult>(Discarded);
        }
        return _buffer.Writer.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => _buffer.Writer.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => _buffer.Writer.Complete(exception);

    private void Abort(long waiting)
    {
        _aborted = true;
        _logger.LogWarning(
            "Closing connection {ConnectionId}: {Waiting} bytes wait to be sent to it, over Limits:MaxUnsentBytesPerConnection ({Limit}); its client is not reading",
            _connection.ConnectionId, waiting, _limit);
        // Ends the transport at once (the socket is aborted) and, through ConnectionClosed, the hub connection: it
        // leaves its groups and stops writing. What is buffered is released when both sides of the buffer complete.
        _connection.Abort();
    }

    private Memory<byte> Discard(int sizeHint)
    {
        if (_discard is null || _discard.Length < sizeHint) _discard = new byte[Math.Max(sizeHint, 4096)];
        return _discard;
    }

    /// <summary>Moves everything flushed into the buffer on to the transport, one flush per batch, until the hub has
    /// completed its output (then the transport's writer is completed, as the framework would have done) or the
    /// transport is gone.</summary>
    private async Task PumpAsync()
    {
        var reader = _buffer.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync();
                var data = read.Buffer;
                var length = data.Length;
                foreach (var segment in data) _transport.Write(segment.Span);
                reader.AdvanceTo(data.End);
                Volatile.Write(ref _handedOn, _handedOn + length);
                // Waits while the transport's pipe is full (TransportMaxBufferSize): meanwhile the buffer fills.
                var flushed = length > 0 ? await _transport.FlushAsync() : default;
                if (read.IsCompleted || flushed.IsCompleted) break;
            }
        }
        catch (Exception ex)
        {
            // The hub completed its output with an error (or the transport failed): passed on to the transport.
            error = ex;
        }
        finally
        {
            _pumpEnded = true;
            await reader.CompleteAsync();
            await _transport.CompleteAsync(error);
        }
    }
}
