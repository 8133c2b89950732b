using ChatHub.Contracts;
using ChatHub.Server.Application.Events;

namespace ChatHub.Server.Observability;

/// <summary>Counts committed messages from the events, as the other sinks push them: one place, whatever transport
/// the message came by.</summary>
public sealed class MetricsSink(ChatMetrics metrics) : IEventSink
{
    public void Publish(ChatEvent change)
    {
        if (change is not MessageCreated { Message: var message }) return;
        var kind = message.MessageType == MessageTypes.Activity ? "activity" : message.Private ? "private_note" : "message";
        metrics.MessageStored(message.SenderType ?? "system", kind);
    }
}
