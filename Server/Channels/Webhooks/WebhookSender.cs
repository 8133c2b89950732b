using System.Text;
using ChatHub.Server.Common;
using ChatHub.Server.Storage;
using Microsoft.Extensions.Options;

namespace ChatHub.Server.Channels.Webhooks;

/// <summary>Sends the outbox: takes due deliveries with a lease in the store (so with several nodes each goes from
/// one node), POSTs each with Chatwoot's headers, and records the outcome or the next attempt. Each attempt runs on
/// its own, so a slow or dead receiver holds up only its own webhook, never chat traffic or other webhooks.</summary>
public sealed class WebhookSender(IChatStore store, IHttpClientFactory httpClients, WebhookSignal signal, WebhookMetrics metrics,
    IOptions<WebhookOptions> options, ILogger<WebhookSender> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    private readonly WebhookOptions _options = options.Value;
    /// <summary>Who holds a lease: unique per process, so a restarted node never mistakes a dead one's lease for its own.</summary>
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private int _inFlight;
    private long _nextPruneAt;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await PruneFinishedAsync(stopping);
                await ClaimAndStartAsync(stopping);
                await signal.WaitAsync(_options.PollInterval, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store is unavailable for a moment (or shutting down): the next round tries again.
                logger.LogWarning(ex, "Webhook sender round failed; trying again");
                try { await Task.Delay(_options.PollInterval, stopping); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task ClaimAndStartAsync(CancellationToken stopping)
    {
        // A read first: without a backlog (the usual case) a round writes nothing.
        var backlog = await store.ReadAsync(reader => reader.CountPendingDeliveriesAsync(), stopping);
        metrics.SetBacklog(backlog);
        var free = _options.MaxConcurrentDeliveries - Volatile.Read(ref _inFlight);
        if (backlog == 0 || free <= 0) return;
        var now = Clock.NowMs();
        var leaseUntil = now + (long)_options.EffectiveLease.TotalMilliseconds;
        var claimed = await store.WriteAsync(t => t.ClaimDueDeliveriesAsync(_owner, now, leaseUntil, free), stopping);
        foreach (var delivery in claimed)
        {
            Interlocked.Increment(ref _inFlight);
            _ = AttemptAsync(delivery, stopping);
        }
    }

    /// <summary>Hourly: deliveries done for longer than KeepFinishedFor go, in bounded steps (each a short write).</summary>
    private async Task PruneFinishedAsync(CancellationToken stopping)
    {
        var now = Clock.NowMs();
        if (now < _nextPruneAt) return;
        _nextPruneAt = now + (long)TimeSpan.FromHours(1).TotalMilliseconds;
        var createdBefore = now - (long)_options.KeepFinishedFor.TotalMilliseconds;
        const int step = 1000;
        while (await store.WriteAsync(t => t.PruneDeliveriesAsync(createdBefore, step), stopping) == step) { }
    }

    private async Task AttemptAsync(WebhookDeliveryRow delivery, CancellationToken stopping)
    {
        try
        {
            var webhook = await store.ReadAsync(reader => reader.GetWebhookAsync(delivery.WebhookId), stopping);
            if (webhook is null) return; // deleted with its deliveries
            var error = await PostAsync(webhook, delivery, stopping);
            if (error is not null)
                logger.LogInformation("Webhook {WebhookId} delivery {DeliveryId} attempt {Attempt} failed: {Error}",
                    webhook.Id, delivery.DeliveryId, delivery.Attempts + 1, error);
            var outcome = WebhookRetryPolicy.After(delivery, _owner, error, Clock.NowMs(), _options);
            await store.WriteAsync(t => t.RecordAttemptAsync(outcome), CancellationToken.None);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down mid-attempt: the lease runs out and the delivery is sent again (at least once).
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Webhook delivery {DeliveryId} could not be attempted; its lease will run out and it goes again", delivery.DeliveryId);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            signal.Wake(); // the webhook's next delivery may go now
        }
    }

    /// <summary>One POST; null when the receiver took it (2xx), else why not.</summary>
    private async Task<string?> PostAsync(WebhookRow webhook, WebhookDeliveryRow delivery, CancellationToken stopping)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Chatwoot-Delivery", delivery.DeliveryId);
        request.Headers.Add("X-Chatwoot-Timestamp", timestamp.ToString());
        request.Headers.Add("X-Chatwoot-Signature", WebhookSignature.Sign(webhook.Secret, timestamp, delivery.Payload));
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        attempt.CancelAfter(_options.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return $"timed out after {_options.Timeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException ex)
        {
            return ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;
        }
    }
}
