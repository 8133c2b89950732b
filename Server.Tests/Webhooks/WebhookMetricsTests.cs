using System.Diagnostics.Metrics;
using ChatHub.Server.Tests.Infrastructure;
using ChatHub.Server.Tests.Rest;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static ChatHub.Server.Tests.Webhooks.WebhookTestApi;

namespace ChatHub.Server.Tests.Webhooks;

public sealed class WebhookMetricsTests
{
    [Fact]
    public async Task The_backlog_gauge_counts_deliveries_waiting_for_a_receiver_that_is_down_and_returns_to_zero()
    {
        var port = WebhookReceiver.FreePort();
        await using var server = await ChatServer.StartAsync(settings: FastRetries());
        using var admin = server.AdminHttp();
        await admin.CreateWebhookAsync($"http://127.0.0.1:{port}/hooks/chatwoot", "contact_created");
        for (var i = 0; i < 3; i++) await server.CreateContact($"C{i}");

        // Only this server's meter: tests in parallel have theirs.
        var meters = server.App.Services.GetRequiredService<IMeterFactory>();
        long? backlog = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "ChatHub" && instrument.Meter.Scope == meters && instrument.Name == "chathub.webhooks.backlog")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => backlog = value);
        listener.Start();

        await EventuallyAsync(() => { listener.RecordObservableInstruments(); return Task.FromResult(backlog == 3); }, "a backlog of 3");
        await using var receiver = await WebhookReceiver.StartAsync(port: port);
        await receiver.WaitUntilAsync(r => r.Accepted.Count == 3, "three deliveries");
        await EventuallyAsync(() => { listener.RecordObservableInstruments(); return Task.FromResult(backlog == 0); }, "an empty backlog");
    }
}
