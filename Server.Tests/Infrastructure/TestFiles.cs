using System.Net.Http.Headers;
using System.Text;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>Real files for the attachment tests (a decodable PNG and a PDF, each with random bytes after it so that
/// "identical bytes" means something), and multipart bodies as Chatwoot's clients send them.</summary>
public static class TestFiles
{
    /// <summary>A 1x1 red PNG; browsers ignore what follows its IEND chunk.</summary>
    private const string PixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    public static byte[] Png(int extraBytes = 4096) => [.. Convert.FromBase64String(PixelPng), .. RandomBytes(extraBytes)];

    public static byte[] Pdf() => Encoding.ASCII.GetBytes("""
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
        trailer << /Root 1 0 R >>
        %%EOF
        """);

    public static byte[] Html() => "<!doctype html><script>alert(document.cookie)</script>"u8.ToArray();

    public static byte[] Svg() => """<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"""u8.ToArray();

    public static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A file written to disk, for the browser's file chooser.</summary>
    public static string Write(string directory, string name, byte[] bytes)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A multipart body: text fields, then files under <paramref name="fileField"/> with the Content-Type the
    /// client claims (the server never trusts it).</summary>
    public static MultipartFormDataContent Form(IEnumerable<(string Name, string Value)> fields,
        IEnumerable<(string FileName, byte[] Bytes, string ClaimedType)> files, string fileField = "attachments[]")
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        foreach (var (fileName, bytes, claimedType) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(claimedType);
            form.Add(part, fileField, fileName);
        }
        return form;
    }
}
