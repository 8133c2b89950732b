using ChatHub.Server.Application.Events;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Channels.Cable;

/// <summary>Turns events into Chatwoot's /cable broadcasts to the contact's stream (its pubsub token, as Chatwoot
/// streams), sent as a group send of <see cref="CableHub"/>'s lifetime manager: on one node straight to the sockets
/// in the group, behind Redis through the official backplane to every node's sockets in it. Who may see an event is
/// <see cref="Visibility"/>'s; the payload is <see cref="ChatwootPayloads"/>'. Sends start here, on the committing
/// thread, in commit order, and are not awaited (as <c>SignalRSink</c>'s).</summary>
public sealed class CableSink(HubLifetimeManager<CableHub> cable, ILogger<CableSink> logger) : IEventSink
{
    public void Publish(ChatEvent change)
    {
        if (change is not ConversationEvent e || !Visibility.ContactSees(e)) return;
        if (ChatwootPayloads.ForContact(e) is not { } message) return;
        Send(e.ContactPubsubToken, message);
    }

    private void Send(string stream, string message)
    {
        Task task;
        try { task = cable.SendGroupAsync(stream, CableWireProtocol.Target, [stream, message]); }
        catch (Exception ex) { task = Task.FromException(ex); }
        if (task.IsCompletedSuccessfully) return;
        task.ContinueWith(t => logger.LogWarning(t.Exception, "A /cable broadcast failed"), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
