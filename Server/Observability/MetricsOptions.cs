using ChatHub.Server.Hosting;

namespace ChatHub.Server.Observability;

/// <summary>The "Metrics" section: whether <c>/metrics</c> is served, and to whom (<see cref="MetricsEndpoint"/>).</summary>
[SettingsSection("Metrics")]
public sealed class MetricsOptions
{
    /// <summary>False serves nothing at <c>/metrics</c>.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>When set, a scrape needs <c>Authorization: Bearer &lt;token&gt;</c>; when empty, only loopback callers may scrape.</summary>
    public string? ScrapeToken { get; set; }
    /// <summary>When set, <c>/metrics</c> answers only on connections to this local port (a listener of <c>Urls</c>).</summary>
    public int? Port { get; set; }
}
