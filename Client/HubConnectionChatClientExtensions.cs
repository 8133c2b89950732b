using ChatHub.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace ChatHub.Client;

/// <summary>Pushes of the hub (<see cref="IChatClient"/>) on the official <see cref="HubConnection"/>.</summary>
public static class HubConnectionChatClientExtensions
{
    /// <summary>Routes every <see cref="IChatClient"/> push to <paramref name="handler"/>; dispose the result to
    /// stop. The connection runs handlers one at a time, in the server's order; one that throws is logged.</summary>
    public static IDisposable On(this HubConnection connection, IChatClient handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Register(connection, method => (args, _) => method.Invoke(handler, args));
    }

    /// <summary>Hands each push to <paramref name="queue"/> instead of running it on the connection's loop, so it
    /// is ordered with the work the reliable layer queues (catch-ups, connection events).</summary>
    internal static IDisposable OnQueued(this HubConnection connection, IChatClient handler, SerialDispatcher queue) =>
        Register(connection, method => (args, _) =>
        {
            queue.Enqueue(() => method.Invoke(handler, args));
            return Task.CompletedTask;
        });

    private static Registrations Register(HubConnection connection, Func<ChatClientMethod, Func<object?[], object, Task>> handlerFor)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var registrations = new Registrations();
        foreach (var method in ChatClientMethods.All)
        {
            registrations.Add(connection.On(method.Name, method.ParameterTypes, handlerFor(method), method));
        }
        return registrations;
    }

    private sealed class Registrations : IDisposable
    {
        private readonly List<IDisposable> _all = [];

        public void Add(IDisposable registration) => _all.Add(registration);

        public void Dispose() => _all.ForEach(r => r.Dispose());
    }
}
