using System.Runtime.InteropServices;

namespace ChatHub.Server.Storage.LiteDb;

/// <summary>fsync of a directory, so that files created in it survive power loss (POSIX only; .NET cannot open a
/// directory as a stream).</summary>
internal static class FileSync
{
    public static void Directory(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try { _ = Fsync(fd); }
        finally { _ = Close(fd); }
    }

    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
