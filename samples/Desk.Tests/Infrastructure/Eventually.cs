namespace ChatHub.Samples.Desk.Tests.Infrastructure;

/// <summary>Waits for something the desk shows after a push arrives. Polls on the caller's thread (the UI thread in
/// an [AvaloniaFact], so the dispatcher runs the handlers in between); the bound is against hanging, not a timing.</summary>
public static class Eventually
{
    public static async Task Until(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {seconds} s: {what}");
            await Task.Delay(20);
        }
    }
}
