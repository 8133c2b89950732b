namespace ChatHub.Server.Channels.Webhooks;

/// <summary>Wakes the sender: after a commit that wrote deliveries, and after an attempt (the webhook's next
/// delivery may go). Wakes that arrive while it is busy are kept as one.</summary>
public sealed class WebhookSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { } // already awake
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}
