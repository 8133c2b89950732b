using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatHub.Server.Tests.Webhooks;

/// <summary>One POST a receiver got, as it got it: the raw body and Chatwoot's three headers.</summary>
public sealed record ReceivedDelivery(string DeliveryId, string Timestamp, string Signature, string Body, int AnsweredStatus)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string Event => Json.GetProperty("event").GetString()!;

    /// <summary>As a Chatwoot receiver verifies a delivery: HMAC-SHA256 of "{timestamp}.{raw body}" keyed by the
    /// webhook's secret, hex, after "sha256=", compared in constant time.</summary>
    public bool IsSignedWith(string secret)
    {
        var expected = "sha256=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{Timestamp}.{Body}")));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(Signature));
    }
}

/// <summary>A real HTTP receiver on a loopback port (Kestrel): records every POST and answers what
/// <c>answer</c> says (200 by default). Can be started on a port chosen earlier, to play a receiver that was down.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedDelivery> _received = new();

    private WebhookReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/hooks/chatwoot";
    public IReadOnlyList<ReceivedDelivery> Received => _received.ToArray();
    /// <summary>The deliveries it took (answered 2xx), in arrival order.</summary>
    public IReadOnlyList<ReceivedDelivery> Accepted => _received.Where(d => d.AnsweredStatus is >= 200 and < 300).ToArray();

    /// <summary>A loopback port nothing listens on (yet): connecting to it is refused.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <param name="answer">The status to answer a delivery with (called before it is recorded).</param>
    public static async Task<WebhookReceiver> StartAsync(Func<ReceivedDelivery, Task<int>>? answer = null, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/hooks/chatwoot", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var delivery = new ReceivedDelivery(http.Request.Headers["X-Chatwoot-Delivery"].ToString(),
                http.Request.Headers["X-Chatwoot-Timestamp"].ToString(), http.Request.Headers["X-Chatwoot-Signature"].ToString(),
                await reader.ReadToEndAsync(), 0);
            var status = answer is null ? 200 : await answer(delivery);
            receiver!._received.Enqueue(delivery with { AnsweredStatus = status });
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var bound = new Uri(app.Urls.First()).Port;
        return receiver = new WebhookReceiver(app, bound);
    }

    /// <summary>Waits (60 s at most: a bound against hanging, not a speed assertion) until <paramref name="done"/> holds.</summary>
    public async Task WaitUntilAsync(Func<WebhookReceiver, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!done(this))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what}: received {string.Join(", ", Received.Select(d => $"{d.Event}->{d.AnsweredStatus}"))}");
            await Task.Delay(20);
        }
    }

    public Task<ReceivedDelivery> WaitForAsync(Func<ReceivedDelivery, bool> match, string what) =>
        WaitUntilAsync(r => r.Accepted.Any(match), what).ContinueWith(_ => Accepted.First(match), TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
