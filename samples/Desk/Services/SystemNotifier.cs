using System.Diagnostics;

namespace ChatHub.Samples.Desk.Services;

/// <summary>A notification outside the window, for a new conversation while the desk is in the background.
/// Avalonia 11 has no notification API of the operating system, so the desk always shows its own in-app
/// notification and, on Linux, also hands it to the desktop with <c>notify-send</c> (libnotify) when installed.
/// On Windows and macOS the in-app notification is the one shown (a toast needs platform packages; see
/// docs/client.md#the-desk-sample).</summary>
public interface ISystemNotifier
{
    void Show(string title, string body);
}

/// <summary>Picks the notifier of this machine: <c>notify-send</c> on Linux when it is on the PATH, else none.</summary>
public static class SystemNotifier
{
    public static ISystemNotifier? ForThisPlatform()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "notify-send"))
            .FirstOrDefault(File.Exists);
        return path is null ? null : new NotifySend(path);
    }

    private sealed class NotifySend(string path) : ISystemNotifier
    {
        public void Show(string title, string body)
        {
            try
            {
                var start = new ProcessStartInfo(path) { UseShellExecute = false };
                start.ArgumentList.Add("--app-name=ChatHub Desk");
                start.ArgumentList.Add(title);
                start.ArgumentList.Add(body);
                Process.Start(start)?.Dispose();
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                // No desktop session to notify: the in-app notification is there anyway.
            }
        }
    }
}
