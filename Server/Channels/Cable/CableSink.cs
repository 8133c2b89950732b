using ChatHub.Server.Application.Events;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Channels.Cable;

/// <summary>Turns events into Chatwoot's /cable broadcasts: the contact's view to the contact's stream (its pubsub
/// token, as Chatwoot streams), the agents' view to the stream of the conversation's inbox (which agents' subscriptions
/// hear it is <see cref="Streams"/>', as for their hub connections). Each is a group send of <see cref="CableHub"/>'s
/// lifetime manager: on one node straight to the sockets in the group, behind Redis through the official backplane to
/// every node's sockets in it. Who may see an event is <see cref="Visibility"/>'s; the payload is
/// <see cref="ChatwootPayloads"/>', built when a socket is sent it. Sends start here, on the committing thread, in commit order, and are not awaited
/// (as <c>SignalRSink</c>'s). Presence changes become <c>presence.update</c> broadcasts in <see cref="CablePresence"/>.</summary>
public sealed class CableSink(HubLifetimeManager<CableHub> cable, CablePresence presence, ILogger<CableSink> logger) : IEventSink
{
    public void Publish(ChatEvent change)
    {
        presence.Publish(change);
        // The payloads are built only if some socket gets them (CableWireProtocol.DeferredMessage).
        if (change is ConversationEvent e && Visibility.ContactSees(e))
            Send(e.ContactPubsubToken, new(() => ChatwootPayloads.ForContact(e)), null);
        if (Visibility.AgentsSee(change) && InboxOf(change) is { } inboxId)
            Send(Streams.Inbox(inboxId), new(() => ChatwootPayloads.ForAgents(change)), Visibility.ExceptAgent(change));
        if (change is SneakPeekChanged peek && Visibility.AgentsSeeSneakPeek(peek))
            Send(Streams.Inbox(peek.Conversation.InboxId), new(() => ChatwootPayloads.SneakPeek(peek)), null);
    }

    /// <summary>The inbox whose agents' stream an event goes to.</summary>
    private static long? InboxOf(ChatEvent change) => change switch
    {
        ConversationEvent e => e.Conversation.InboxId,
        ContactUpdated c => c.Contact.InboxId,
        _ => null,
    };

    private void Send(string stream, CableWireProtocol.DeferredMessage message, long? exceptAgentId)
    {
        Task task;
        try { task = cable.SendGroupAsync(stream, CableWireProtocol.Target, [stream, CableWireProtocol.Except(exceptAgentId), message]); }
        catch (Exception ex) { task = Task.FromException(ex); }
        if (task.IsCompletedSuccessfully) return;
        task.ContinueWith(t => logger.LogWarning(t.Exception, "A /cable broadcast failed"), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
