namespace ChatHub.Server.Channels.Cable;

/// <summary>Never mapped to a URL and never invoked: it only names the SignalR lifetime manager (and, behind Redis, the
/// backplane channels) that carries /cable broadcasts between nodes. Each /cable socket is registered with
/// <c>HubLifetimeManager&lt;CableHub&gt;</c> as a connection speaking <see cref="CableWireProtocol"/> and joins one group per
/// stream it subscribed to (docs/api.md, "/cable").</summary>
// Qualified: under ChatHub.Server.Channels, "Hub" names the hub channel's namespace.
public sealed class CableHub : Microsoft.AspNetCore.SignalR.Hub;
