using ChatHub.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>Records a connection's Reconnecting, Reconnected and Closed events in order, with their arguments.</summary>
public sealed class ConnectionEventLog
{
    private readonly List<(string Name, object? Argument)> _events = [];

    public ConnectionEventLog(ReliableChatConnection connection)
    {
        connection.Reconnecting += error => Record("Reconnecting", error);
        connection.Reconnected += connectionId => Record("Reconnected", connectionId);
        connection.Closed += error => Record("Closed", error);
    }

    public ConnectionEventLog(HubConnection connection)
    {
        connection.Reconnecting += error => Record("Reconnecting", error);
        connection.Reconnected += connectionId => Record("Reconnected", connectionId);
        connection.Closed += error => Record("Closed", error);
    }

    public IReadOnlyList<(string Name, object? Argument)> Events { get { lock (_events) return [.. _events]; } }

    public IReadOnlyList<string> Names => Events.Select(e => e.Name).ToList();

    /// <summary>Waits for the <paramref name="count"/>-th event of that name and returns its argument (a generous
    /// bound that only guards against hanging).</summary>
    public async Task<object?> WaitFor(string name, int count = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var matching = Events.Where(e => e.Name == name).ToList();
            if (matching.Count >= count) return matching[count - 1].Argument;
            await Task.Delay(10);
        }
        throw new TimeoutException($"no {name} #{count}; got: {string.Join(", ", Names)}");
    }

    private Task Record(string name, object? argument)
    {
        lock (_events) _events.Add((name, argument));
        return Task.CompletedTask;
    }
}
