namespace ChatHub.LoadTest.Setup;

/// <summary>CPU time a process has used, from <c>/proc/PID/stat</c> (utime + stime, in clock ticks of 1/100 s, the
/// USER_HZ Linux reports there on every architecture it runs on). Zero where there is no /proc or the process is gone.</summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int pid) =>
        Fields(pid) is { } fields ? TimeSpan.FromSeconds((Ticks(fields, 11) + Ticks(fields, 12)) / TicksPerSecond) : TimeSpan.Zero;

    /// <summary>CPU time of a process and its children so far: its own, what its children that ended and were waited
    /// for used (cutime + cstime), and each live child's own. For PostgreSQL's postmaster: the whole cluster, every
    /// backend included, whether or not it ended in between. Zero without /proc.</summary>
    public static TimeSpan OfTree(int pid)
    {
        var total = Fields(pid) is { } own ? Ticks(own, 11) + Ticks(own, 12) + Ticks(own, 13) + Ticks(own, 14) : 0;
        try
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), out var child) || child == pid) continue;
                if (Fields(child) is { } fields && fields[1] == pid.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    total += Ticks(fields, 11) + Ticks(fields, 12);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return TimeSpan.FromSeconds(total / TicksPerSecond);
    }

    private static long Ticks(string[] fields, int index) => long.Parse(fields[index], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The fields of /proc/PID/stat after the command name (which may hold spaces, hence the last ')'), or null
    /// when the process is gone: index 1 is the parent's id, 11 and 12 utime and stime, 13 and 14 cutime and cstime.</summary>
    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Context switches of the process's threads so far (voluntary: it blocked, handing the core on; and
    /// involuntary), summed over /proc/PID/task/*/status; a thread that ended is no longer counted. Zero without /proc.</summary>
    public static long ContextSwitches(int pid)
    {
        long total = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal)
                            || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                            total += long.Parse(line[(line.IndexOf(':') + 1)..].Trim());
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { } // the thread ended meanwhile
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return total;
    }
}
