using System.Collections.Concurrent;
using ChatHub.Contracts;
using Microsoft.Extensions.Logging;

namespace ChatHub.Client;

/// <summary>Hands the app each change of every conversation it tracks exactly once, in seq order: drops
/// duplicates, holds a change that comes early, and fills a gap with GetMessages {afterSeq} unless one of
/// the app's own calls in flight will fill it. Every method except <see cref="BeginOwnCall"/> runs on the
/// connection's push queue, one at a time, so the state needs no locks.</summary>
internal sealed class ConversationTracker(
    IChatClient app, Func<GetMessagesRequest, Task<GetMessagesResult>> fetch, Func<int> pageSize, ILogger logger)
{
    private readonly Dictionary<long, ConversationStream> _streams = [];
    private readonly ConcurrentDictionary<long, int> _ownCallsInFlight = new();
    private int _fetches;

    /// <summary>GetMessages calls made so far (to fill gaps and catch up).</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>Any thread, before the call is sent: a gap may be this call's own message (the server does not
    /// push a sender's own MessageCreated back to it), so it is not fetched until the call has ended.</summary>
    public void BeginOwnCall(long conversationId) => _ownCallsInFlight.AddOrUpdate(conversationId, 1, (_, n) => n + 1);

    public async Task OnPushAsync(Change change)
    {
        // A conversation first seen through a push is tracked from that push on.
        var stream = _streams.TryGetValue(change.ConversationId, out var known) ? known : Track(change);
        await OfferAsync(stream, change).ConfigureAwait(false);
    }

    /// <summary>The end of a call begun with <see cref="BeginOwnCall"/>: its message when it was acknowledged.</summary>
    public async Task OnOwnCallEndedAsync(long conversationId, MessageDto? acknowledged)
    {
        _ownCallsInFlight.AddOrUpdate(conversationId, 0, (_, n) => Math.Max(0, n - 1));
        if (acknowledged is not null)
        {
            await OnPushAsync(Change.Created(acknowledged)).ConfigureAwait(false);
        }
        else if (_streams.TryGetValue(conversationId, out var stream))
        {
            await DrainAsync(stream).ConfigureAwait(false);
        }
    }

    /// <summary>The answer to the app's own StartConversation: the creation (seq 0) and the first message, which
    /// the server does not push back to the caller.</summary>
    public async Task OnOwnStartAsync(ConversationDto started)
    {
        if (!_streams.TryGetValue(started.Id, out var stream))
        {
            var creation = Change.Created(started with { Seq = 0, Messages = [] });
            stream = Track(creation);
            await OfferAsync(stream, creation).ConfigureAwait(false);
        }
        // A retried start may answer a conversation that moved on since: what is after the app's seq is fetched.
        stream.ServerSeqAtLeast = Math.Max(stream.ServerSeqAtLeast, started.Seq);
        foreach (var message in started.Messages)
        {
            stream.Held.TryAdd(message.Seq, Change.Created(message));
        }
        await DrainAsync(stream).ConfigureAwait(false);
    }

    /// <summary>The app has this snapshot (state and newest page): hand it only what comes after.</summary>
    public async Task TrackAsync(ConversationDto snapshot)
    {
        var newestId = snapshot.Messages.Count == 0 ? 0 : snapshot.Messages.Max(m => m.Id);
        if (!_streams.TryGetValue(snapshot.Id, out var stream))
        {
            _streams[snapshot.Id] = new ConversationStream(snapshot.Id, snapshot.Seq, newestId, ConversationState.Of(snapshot));
            return;
        }
        if (snapshot.Seq > stream.LastSeq)
        {
            (stream.LastSeq, stream.State) = (snapshot.Seq, ConversationState.Of(snapshot));
            stream.ServerSeqAtLeast = Math.Max(stream.ServerSeqAtLeast, snapshot.Seq);
            stream.HighestMessageId = Math.Max(stream.HighestMessageId, newestId);
            await DrainAsync(stream).ConfigureAwait(false);
        }
    }

    public void Untrack(long conversationId) => _streams.Remove(conversationId);

    /// <summary>Conversations found by listing (after a reconnect): one the app does not have yet is handed
    /// over as ConversationCreated carrying its newest page, and tracked from there.</summary>
    public async Task DiscoverAsync(IEnumerable<ConversationDto> listed)
    {
        foreach (var conversation in listed.Where(c => !_streams.ContainsKey(c.Id)))
        {
            await TrackAsync(conversation).ConfigureAwait(false);
            await app.ConversationCreated(conversation).ConfigureAwait(false);
        }
    }

    /// <summary>After a reconnect: pushes sent while the socket was gone are lost, so every tracked
    /// conversation fetches what came after its seq.</summary>
    public async Task ResyncAllAsync()
    {
        foreach (var stream in _streams.Values.ToList())
        {
            if (await ResyncAsync(stream).ConfigureAwait(false))
            {
                await DrainAsync(stream).ConfigureAwait(false);
            }
        }
    }

    private ConversationStream Track(Change first)
    {
        var highest = first is MessageChange { IsUpdate: true } update ? update.Message.Id : 0;
        var stream = new ConversationStream(first.ConversationId, first.Seq - 1, highest, state: null);
        _streams[first.ConversationId] = stream;
        return stream;
    }

    private async Task OfferAsync(ConversationStream stream, Change change)
    {
        if (change.Seq <= stream.LastSeq)
        {
            return; // already handed over, by a push, an own call's answer or a resync
        }
        stream.Held.TryAdd(change.Seq, change);
        await DrainAsync(stream).ConfigureAwait(false);
    }

    /// <summary>Hands over what is next in line; on a gap, fetches unless an own call may fill it.</summary>
    private async Task DrainAsync(ConversationStream stream)
    {
        while (true)
        {
            while (stream.TryTakeNext(out var next))
            {
                await DeliverAsync(stream, next).ConfigureAwait(false);
            }
            if (!stream.HasGap || _ownCallsInFlight.GetValueOrDefault(stream.ConversationId) > 0)
            {
                return;
            }
            logger.LogDebug("Conversation {ConversationId}: gap after seq {Seq}; fetching.", stream.ConversationId, stream.LastSeq);
            var before = stream.LastSeq;
            if (!await ResyncAsync(stream).ConfigureAwait(false) || stream.LastSeq == before)
            {
                return; // failed, or the server has nothing newer yet: the next push or reconnect tries again
            }
        }
    }

    private async Task DeliverAsync(ConversationStream stream, Change change)
    {
        stream.LastSeq = change.Seq;
        stream.ServerSeqAtLeast = Math.Max(stream.ServerSeqAtLeast, change.Seq);
        switch (change)
        {
            case MessageChange { IsUpdate: false } created:
                stream.HighestMessageId = Math.Max(stream.HighestMessageId, created.Message.Id);
                await app.MessageCreated(created.Message).ConfigureAwait(false);
                break;
            case MessageChange updated:
                await app.MessageUpdated(updated.Message).ConfigureAwait(false);
                break;
            case ConversationChange { IsCreation: true } creation:
                stream.State = ConversationState.Of(creation.Conversation);
                await app.ConversationCreated(creation.Conversation).ConfigureAwait(false);
                break;
            case ConversationChange update:
                stream.State = ConversationState.Of(update.Conversation);
                await app.ConversationUpdated(update.Conversation).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Fetches every change after the stream's seq and hands it over: each message once (created when
    /// the app lacks it, updated when it has it), then one ConversationUpdated with the current state if that
    /// differs from what the app has (status, assignee and seen markers are not in the message list). False when
    /// the fetch failed; the next push or reconnect tries again.</summary>
    private async Task<bool> ResyncAsync(ConversationStream stream)
    {
        var appHadUpTo = stream.HighestMessageId;
        var afterSeq = Math.Max(stream.LastSeq, 0);
        try
        {
            GetMessagesResult page;
            do
            {
                Interlocked.Increment(ref _fetches);
                page = await fetch(new GetMessagesRequest { ConversationId = stream.ConversationId, AfterSeq = afterSeq, Limit = pageSize() })
                    .ConfigureAwait(false);
                foreach (var message in page.Messages.Where(m => m.Seq > stream.LastSeq))
                {
                    await DeliverAsync(stream, message.Id > appHadUpTo ? Change.Created(message) : Change.Updated(message)).ConfigureAwait(false);
                }
                afterSeq = page.Messages.Count > 0 ? page.Messages[^1].Seq : afterSeq;
            }
            while (page.HasMore && page.Messages.Count > 0);

            var current = page.Conversation with { Messages = [] };
            if (ConversationState.Of(current) != stream.State)
            {
                await DeliverAsync(stream, Change.Updated(current with { Seq = Math.Max(current.Seq, stream.LastSeq) })).ConfigureAwait(false);
            }
            stream.LastSeq = Math.Max(stream.LastSeq, current.Seq);
            stream.ServerSeqAtLeast = Math.Max(stream.ServerSeqAtLeast, current.Seq);
            return true;
        }
        catch (ChatHubException ex) when (ex.Code is ErrorCodes.NotFound or ErrorCodes.Forbidden)
        {
            // The conversation is gone or no longer ours (e.g. the agent left its inbox): stop tracking it.
            logger.LogInformation("Conversation {ConversationId} stopped being tracked: {Code}.", stream.ConversationId, ex.Code);
            _streams.Remove(stream.ConversationId);
            return false;
        }
        catch (Exception ex) when (ex is ChatHubConnectionClosedException or ChatHubException or TimeoutException)
        {
            logger.LogDebug(ex, "Conversation {ConversationId}: fetching after seq {Seq} failed; tried again later.",
                stream.ConversationId, stream.LastSeq);
            return false;
        }
    }
}
