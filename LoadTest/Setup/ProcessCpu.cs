namespace ChatHub.LoadTest.Setup;

/// <summary>CPU time a process has used, from <c>/proc/PID/stat</c> (utime + stime, in clock ticks of 1/100 s, the
/// USER_HZ Linux reports there on every architecture it runs on). Zero where there is no /proc or the process is gone.</summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
        // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds((long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond);
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
