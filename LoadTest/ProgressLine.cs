namespace ChatHub.LoadTest;

/// <summary>Progress lines on stderr: redrawn in place on a terminal; in a log file (stderr redirected) one plain
/// line every <see cref="LogEvery"/> updates, so logs hold no carriage returns.</summary>
public static class ProgressLine
{
    private const int LogEvery = 5;
    private static int _updates;

    public static void Update(string line)
    {
        if (!Console.IsErrorRedirected) Console.Error.Write($"\r{line}   ");
        else if (Interlocked.Increment(ref _updates) % LogEvery == 0) Console.Error.WriteLine(line);
    }

    /// <summary>Ends the progress: the last state on a line of its own.</summary>
    public static void Done(string line)
    {
        Console.Error.WriteLine(Console.IsErrorRedirected ? line : $"\r{line}   ");
        _updates = 0;
    }
}
