using ChatHub.Contracts;
using ChatHub.Server.Common;
using ChatHub.Server.Hosting;
using ChatHub.Server.Observability;

namespace ChatHub.Server.Application.Connections;

/// <summary>Who holds a realtime connection, as far as the budget cares.</summary>
public enum RealtimeCaller
{
    /// <summary>A /cable socket with no confirmed subscription yet: anyone.</summary>
    Unsubscribed,
    /// <summary>A contact's hub connection, or a /cable socket subscribed with a contact's token (a contact is free to
    /// create, so this is anyone too).</summary>
    Contact,
    Agent,
}

/// <summary>Why a realtime connection was turned away.</summary>
public enum ConnectionRefusal { None, Total, PublicShare, Address }

/// <summary>Every realtime connection of this node (hub connections of any transport, /cable sockets) holds a slot of
/// this budget from before it is accepted until it ends, so that connections are a budget and not a crash: a
/// connection past a cap is refused (503 before the upgrade, or a close), never let in to exhaust the process's file
/// descriptors (issue 20). The caps (ChatLimits):
/// <list type="bullet">
/// <item>all of them: <see cref="ConnectionLimit.Realtime"/> (Limits:MaxRealtimeConnections, derived from the
/// open-files limit);</item>
/// <item>the ones anyone can open (<see cref="RealtimeCaller.Unsubscribed"/>, <see cref="RealtimeCaller.Contact"/>):
/// Limits:PublicConnectionsPercent of that, so strangers who fill their share still leave room for agents;</item>
/// <item>per client address (<see cref="ClientAddress"/>: IPv6 per /64), unsubscribed sockets and contacts' connections
/// each (Limits:MaxUnsubscribedSocketsPerAddress, Limits:MaxContactConnectionsPerAddress). Agents are never counted
/// per address: a support office behind one NAT must still work.</item>
/// </list>
/// In memory, per node, under one lock (it is taken once per connection opened or closed).</summary>
public sealed class ConnectionBudget
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    private readonly long? _total;
    private readonly long? _public;
    private readonly int _unsubscribedPerAddress;
    private readonly int _contactsPerAddress;
    private readonly ChatMetrics _metrics;
    private readonly ILogger<ConnectionBudget> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _unsubscribedByAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _contactsByAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<ConnectionRefusal, long> _lastWarning = [];
    private long _open;
    private long _openPublic;

    public ConnectionBudget(ConnectionLimit caps, ChatLimits limits, ChatMetrics metrics, ILogger<ConnectionBudget> logger)
    {
        _total = caps.Realtime;
        _public = caps.Realtime * limits.PublicConnectionsPercent / 100;
        _unsubscribedPerAddress = limits.MaxUnsubscribedSocketsPerAddress;
        _contactsPerAddress = limits.MaxContactConnectionsPerAddress;
        _metrics = metrics;
        _logger = logger;
        metrics.Meter.CreateObservableGauge("chathub.connections.budget.open", () => Open, "{connection}",
            "Realtime connections holding a slot of the connection budget (hub and /cable)");
    }

    /// <summary>Slots held now.</summary>
    public long Open
    {
        get { lock (_lock) return _open; }
    }

    /// <summary>Takes a slot for a new connection, or returns null (the refusal counted and, now and then, logged).</summary>
    /// <param name="address">The client's key, <see cref="ClientAddress.KeyOf(System.Net.IPAddress?)"/>.</param>
    /// <param name="transport">For the metric: "hub" or "cable".</param>
    public ConnectionSlot? TryOpen(RealtimeCaller caller, string address, string transport, out ConnectionRefusal refusal)
    {
        lock (_lock)
        {
            refusal = RefusalOf(caller, address);
            if (refusal == ConnectionRefusal.None)
            {
                Add(caller, address);
                return new ConnectionSlot(this, caller, address);
            }
        }
        Refused(transport, refusal);
        return null;
    }

    /// <summary>Whether <see cref="TryOpen"/> would take a slot now, without taking one (the hub's negotiate: its
    /// connection takes its slot later); a refusal is counted and logged as one.</summary>
    public ConnectionRefusal Check(RealtimeCaller caller, string address, string transport)
    {
        ConnectionRefusal refusal;
        lock (_lock) refusal = RefusalOf(caller, address);
        if (refusal != ConnectionRefusal.None) Refused(transport, refusal);
        return refusal;
    }

    /// <summary>Counts a connection the budget closed (a /cable socket with no subscription by its deadline).</summary>
    public void Closed(string transport, string reason) => _metrics.ConnectionRefused(transport, reason);

    /// <summary>The HTTP answer to a connection refused before its upgrade: 503 with Retry-After and "unavailable: ..."
    /// (problem details), which clients' reconnect loops take as "try again later".</summary>
    public static Task RefuseAsync(HttpContext context, ConnectionRefusal refusal)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
            detail: Explain(refusal)).ExecuteAsync(context);
    }

    private const int RetryAfterSeconds = 5;

    /// <summary>What a client is told when refused: the code, then why.</summary>
    public static string Explain(ConnectionRefusal refusal) => refusal == ConnectionRefusal.Address
        ? $"{ErrorCodes.Unavailable}: too many connections from this address; try again later"
        : $"{ErrorCodes.Unavailable}: the server holds as many connections as it may; try again shortly";

    internal bool TryBecome(ConnectionSlot slot, RealtimeCaller caller)
    {
        lock (_lock)
        {
            if (slot.Released) return false;
            if (slot.Caller == caller) return true;
            Remove(slot.Caller, slot.Address);
            if (RefusalOf(caller, slot.Address) != ConnectionRefusal.None)
            {
                Add(slot.Caller, slot.Address);
                return false;
            }
            Add(caller, slot.Address);
            slot.Caller = caller;
            return true;
        }
    }

    internal void Release(ConnectionSlot slot)
    {
        lock (_lock)
        {
            if (slot.Released) return;
            slot.Released = true;
            Remove(slot.Caller, slot.Address);
        }
    }

    private ConnectionRefusal RefusalOf(RealtimeCaller caller, string address)
    {
        if (_open >= _total) return ConnectionRefusal.Total;
        if (caller == RealtimeCaller.Agent) return ConnectionRefusal.None;
        if (_openPublic >= _public) return ConnectionRefusal.PublicShare;
        var (byAddress, cap) = PerAddress(caller);
        return cap > 0 && byAddress.GetValueOrDefault(address) >= cap ? ConnectionRefusal.Address : ConnectionRefusal.None;
    }

    private void Add(RealtimeCaller caller, string address)
    {
        _open++;
        if (caller == RealtimeCaller.Agent) return;
        _openPublic++;
        var (byAddress, _) = PerAddress(caller);
        byAddress[address] = byAddress.GetValueOrDefault(address) + 1;
    }

    private void Remove(RealtimeCaller caller, string address)
    {
        _open--;
        if (caller == RealtimeCaller.Agent) return;
        _openPublic--;
        var (byAddress, _) = PerAddress(caller);
        var left = byAddress.GetValueOrDefault(address) - 1;
        if (left > 0) byAddress[address] = left;
        else byAddress.Remove(address); // memory follows the addresses connected now
    }

    private (Dictionary<string, int> ByAddress, int Cap) PerAddress(RealtimeCaller caller) => caller == RealtimeCaller.Unsubscribed
        ? (_unsubscribedByAddress, _unsubscribedPerAddress)
        : (_contactsByAddress, _contactsPerAddress);

    private void Refused(string transport, ConnectionRefusal refusal)
    {
        var reason = refusal switch
        {
            ConnectionRefusal.Total => "total",
            ConnectionRefusal.PublicShare => "public_share",
            _ => "address",
        };
        _metrics.ConnectionRefused(transport, reason);
        // Under a flood every refusal would be a line: one warning a minute per reason, the rest at Debug.
        var now = Environment.TickCount64;
        bool warn;
        lock (_lastWarning)
        {
            warn = !_lastWarning.TryGetValue(refusal, out var last) || now - last >= WarningInterval.TotalMilliseconds;
            if (warn) _lastWarning[refusal] = now;
        }
        var cap = refusal switch
        {
            ConnectionRefusal.Total => $"Limits:MaxRealtimeConnections ({_total})",
            ConnectionRefusal.PublicShare => $"the public share of it ({_public}, Limits:PublicConnectionsPercent)",
            _ => "a per-address cap (Limits:MaxUnsubscribedSocketsPerAddress or Limits:MaxContactConnectionsPerAddress)",
        };
        if (warn) _logger.LogWarning("Refusing new {Transport} connections: {Cap} reached (logged once a minute)", transport, cap);
        else _logger.LogDebug("Refused a {Transport} connection: {Cap} reached", transport, cap);
    }
}

/// <summary>One connection's place in the <see cref="ConnectionBudget"/>. Disposing it gives the place back, once
/// however often it is called, so every path that ends a connection may dispose it.</summary>
public sealed class ConnectionSlot : IDisposable
{
    private readonly ConnectionBudget _budget;

    internal ConnectionSlot(ConnectionBudget budget, RealtimeCaller caller, string address)
    {
        _budget = budget;
        Caller = caller;
        Address = address;
    }

    /// <summary>Changed and read under the budget's lock.</summary>
    public RealtimeCaller Caller { get; internal set; }
    public string Address { get; }
    internal bool Released { get; set; }

    /// <summary>Counts the connection as <paramref name="caller"/> from now on (a /cable socket whose subscription was
    /// confirmed); false, and nothing changed, when that would pass a cap.</summary>
    public bool TryBecome(RealtimeCaller caller) => _budget.TryBecome(this, caller);

    public void Dispose() => _budget.Release(this);
}
