using System.Collections.Concurrent;
using ChatHub.Client;
using ChatHub.Contracts;

namespace ChatHub.Samples.Desk.Tests.Infrastructure;

/// <summary>What a customer's session received: messages and typing events, recorded as they arrive.</summary>
public sealed class CustomerInbox
{
    public CustomerInbox(CustomerSession customer)
    {
        customer.MessageCreated += m =>
        {
            Messages.Enqueue(m);
            return Task.CompletedTask;
        };
        customer.Typing += t =>
        {
            Typing.Enqueue(t);
            return Task.CompletedTask;
        };
    }

    public ConcurrentQueue<MessageDto> Messages { get; } = new();
    public ConcurrentQueue<TypingEvent> Typing { get; } = new();
}
