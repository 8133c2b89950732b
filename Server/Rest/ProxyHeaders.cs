using System.Net;
using ChatHub.Server.Hosting;
using Microsoft.AspNetCore.HttpOverrides;

namespace ChatHub.Server.Rest;

/// <summary>Behind a reverse proxy (deploy/nginx/chathub.conf) every request comes from the proxy's address: the
/// client's is in X-Forwarded-For. Trusted from proxies on this machine (loopback, ASP.NET Core's default) and from
/// the addresses in <c>ForwardedHeaders:KnownProxies</c>; from anyone else the headers are ignored, so a client
/// cannot pick its own address (per-address rate limits, the loopback-only /metrics).</summary>
public static class ProxyHeaders
{
    public static IServiceCollection AddProxyHeaders(this IServiceCollection services, IConfiguration config)
    {
        // Parsed here, not in the options callback: a wrong entry stops the build with one line (StartupFailure),
        // where a throw at the first resolution of the options would come with the host's stack trace.
        var known = Settings.Read<ProxyOptions>(config).KnownProxies.Select(address => IPAddress.TryParse(address, out var ip)
            ? ip
            : throw new InvalidSettingsException($"ForwardedHeaders:KnownProxies has '{address}': it must be an IP address")).ToList();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var ip in known) options.KnownProxies.Add(ip);
        });
        return services;
    }
}

/// <summary>The "ForwardedHeaders" section: the reverse proxies, besides loopback, whose X-Forwarded-For and
/// X-Forwarded-Proto are believed (<see cref="ProxyHeaders"/>).</summary>
[SettingsSection("ForwardedHeaders")]
public sealed class ProxyOptions
{
    /// <summary>IP addresses (<c>ForwardedHeaders:KnownProxies:0</c>, <c>:1</c>, ...; environment
    /// <c>ForwardedHeaders__KnownProxies__0</c>).</summary>
    public string[] KnownProxies { get; set; } = [];
}
