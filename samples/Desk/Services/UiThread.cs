using Avalonia.Threading;

namespace ChatHub.Samples.Desk.Services;

/// <summary>ChatHub.Client raises its events on a thread of its own (one at a time, in order); view models and
/// their collections belong to the UI thread. Every event handler of the desk hops over here first.</summary>
public static class UiThread
{
    /// <summary>Runs <paramref name="action"/> on the UI thread: at once when already there, else queued, in order.</summary>
    public static Task RunAsync(Action action)
    {
        if (Dispatcher.UIThread.CheckAccess())
        {
            action();
            return Task.CompletedTask;
        }
        return Dispatcher.UIThread.InvokeAsync(action).GetTask();
    }
}
