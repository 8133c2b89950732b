using ChatHub.Contracts;

namespace ChatHub.Server.Features.Attachments;

/// <summary>What a file is, from its first bytes (never the uploader's Content-Type or name): the types a browser
/// may show inline (raster images, audio, video, PDF), each with its real media type. Anything else, HTML and SVG
/// included, is application/octet-stream and only ever downloaded.</summary>
public static class FileKinds
{
    public const string Download = "application/octet-stream";
    public const string Pdf = "application/pdf";
    /// <summary>How many of a file's first bytes <see cref="Of"/> looks at.</summary>
    public const int HeadBytes = 16;

    public sealed record Kind(string ContentType, string FileType)
    {
        public bool Inline => ContentType != Download;
        /// <summary>Served with <c>Content-Security-Policy: sandbox</c>: downloads, and PDFs (shown inline, but a PDF
        /// may carry scripts and forms), so that neither runs with our origin's rights.</summary>
        public bool Sandboxed => !Inline || ContentType == Pdf;
    }

    public static Kind Of(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return Image("image/png");
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Image("image/jpeg");
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8)) return Image("image/gif");
        if (b.StartsWith("RIFF"u8) && b.Length >= 12 && b[8..12].SequenceEqual("WEBP"u8)) return Image("image/webp");
        if (b.StartsWith("RIFF"u8) && b.Length >= 12 && b[8..12].SequenceEqual("WAVE"u8)) return new("audio/wav", AttachmentFileTypes.Audio);
        if (b.StartsWith("%PDF-"u8)) return new(Pdf, AttachmentFileTypes.File);
        if (b.StartsWith("OggS"u8)) return new("audio/ogg", AttachmentFileTypes.Audio);
        if (b.StartsWith("fLaC"u8)) return new("audio/flac", AttachmentFileTypes.Audio);
        if (b.StartsWith("ID3"u8) || (b.Length >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0)) return new("audio/mpeg", AttachmentFileTypes.Audio);
        if (b.Length >= 12 && b[4..8].SequenceEqual("ftyp"u8))
        {
            if (b[8..12].SequenceEqual("M4A "u8)) return new("audio/mp4", AttachmentFileTypes.Audio);
            if (b[8..12].SequenceEqual("qt  "u8)) return new("video/quicktime", AttachmentFileTypes.Video);
            return new("video/mp4", AttachmentFileTypes.Video);
        }
        if (b.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return new("video/webm", AttachmentFileTypes.Video);
        return new(Download, AttachmentFileTypes.File);

        static Kind Image(string type) => new(type, AttachmentFileTypes.Image);
    }

    /// <summary>A name safe to show and to put in a header: no path, no control or quote characters, no bidirectional
    /// controls (<c>a\u202Egnp.html</c> would show as <c>ahtml.png</c>), at most 200 characters (the extension kept).</summary>
    public static string SafeName(string? name)
    {
        var bare = Path.GetFileName((name ?? "").Replace('\\', '/'));
        var clean = new string(bare.Where(c => !char.IsControl(c) && !IsBidiControl(c) && c is not ('"' or '/' or '\\' or ';')).ToArray()).Trim();
        if (clean.Length > 200) clean = clean[..(200 - (Path.GetExtension(clean).Length is var e and <= 20 ? e : 0))] +
            (Path.GetExtension(clean).Length <= 20 ? Path.GetExtension(clean) : "");
        return clean is "" or "." or ".." ? "file" : clean;
    }

    /// <summary>The marks and embeddings, overrides and isolates that reorder how text around them is shown (Unicode's
    /// bidirectional controls: LRM, RLM, ALM, LRE..RLO, LRI..PDI).</summary>
    public static bool IsBidiControl(char c) => c is '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>The name's extension, lower case, without the dot; null when there is none (or it is not plain).</summary>
    public static string? Extension(string safeName)
    {
        var extension = Path.GetExtension(safeName).TrimStart('.').ToLowerInvariant();
        return extension.Length is > 0 and <= 10 && extension.All(char.IsAsciiLetterOrDigit) ? extension : null;
    }
}
