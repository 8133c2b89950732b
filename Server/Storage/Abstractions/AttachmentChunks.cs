namespace ChatHub.Server.Storage;

/// <summary>How every store keeps a file's bytes: in slices of <see cref="Bytes"/> (the last one shorter), each a row or
/// document of its own, so that reading any part of a file reads a bounded slice and no engine walks the whole file
/// (SQLite's incremental blob I/O walks a blob's overflow pages from its start at each open: quadratic per download).</summary>
public static class AttachmentChunks
{
    /// <summary>64 KiB: under .NET's large-object heap threshold, so a slice buffer is an ordinary short-lived array.</summary>
    public const int Bytes = 64 * 1024;

    /// <summary>How many slices a file of <paramref name="fileSize"/> bytes has.</summary>
    public static long CountOf(long fileSize) => (fileSize + Bytes - 1) / Bytes;

    /// <summary>Reads from <paramref name="content"/> until <paramref name="into"/> is full or the content ends; the count read.</summary>
    public static int Fill(Stream content, Span<byte> into)
    {
        var filled = 0;
        while (filled < into.Length && content.Read(into[filled..]) is var read and > 0) filled += read;
        return filled;
    }

    public static async ValueTask<int> FillAsync(Stream content, Memory<byte> into)
    {
        var filled = 0;
        while (filled < into.Length && await content.ReadAsync(into[filled..]) is var read and > 0) filled += read;
        return filled;
    }

    public static InvalidDataException EndedEarly(long read, long expected) =>
        new($"the file's content ended after {read} of its {expected} bytes");
}
