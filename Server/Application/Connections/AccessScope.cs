using System.Globalization;

namespace ChatHub.Server.Application.Connections;

/// <summary>Whose open connections to check again after a change of rights: one agent's (deactivated, a new token,
/// added to or removed from an inbox), or the contacts of one inbox (it now requires verified contacts).</summary>
public abstract record AccessScope
{
    public sealed record Agent(long AgentId) : AccessScope;

    public sealed record ContactsOfInbox(long InboxId) : AccessScope;

    /// <summary>The scope as one word, for a request to the other nodes.</summary>
    public string ToWire() => this switch
    {
        Agent a => string.Create(CultureInfo.InvariantCulture, $"agent:{a.AgentId}"),
        ContactsOfInbox i => string.Create(CultureInfo.InvariantCulture, $"inbox-contacts:{i.InboxId}"),
        _ => throw new InvalidOperationException(GetType().Name),
    };

    public static AccessScope? FromWire(string text)
    {
        var colon = text.IndexOf(':');
        if (colon < 0 || !long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return null;
        return text[..colon] switch
        {
            "agent" => new Agent(id),
            "inbox-contacts" => new ContactsOfInbox(id),
            _ => null,
        };
    }
}

/// <summary>Runs a recheck on every node, this one included, and completes once each has applied it (or, for a node
/// that cannot be reached, once it will when it is back). A single node just applies it.</summary>
public interface IClusterRechecks
{
    Task RecheckEverywhereAsync(AccessScope scope);
}

public sealed class SingleNodeRechecks(AccessRecheck recheck) : IClusterRechecks
{
    public Task RecheckEverywhereAsync(AccessScope scope) => recheck.RecheckHereAsync(scope);
}
