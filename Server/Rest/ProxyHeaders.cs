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
        var known = Settings.Read<ProxyOptions>(config).KnownProxies;
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var address in known)
            {
                if (!IPAddress.TryParse(address, out var ip))
                    throw new InvalidSettingsException($"ForwardedHeaders:KnownProxies has '{address}': it must be an IP address");
                options.KnownProxies.Add(ip);
            }
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
