using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.FileProviders;

namespace ChatHub.Server.Rest;

/// <summary>The version of each file under wwwroot/: the first 16 hex digits of its content's SHA-256, read once per
/// change of the file (its length and time), so a rebuilt bundle gets a new version without a restart.</summary>
public sealed class AssetVersions(IWebHostEnvironment environment)
{
    private readonly ConcurrentDictionary<string, (long Length, DateTimeOffset Modified, string Version)> _known = new(StringComparer.Ordinal);

    /// <summary>The version of the file at <paramref name="path"/> (from wwwroot/, starting with "/"), null when there is
    /// no such file.</summary>
    public string? VersionOf(string path)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory) return null;
        if (_known.TryGetValue(path, out var known) && known.Length == file.Length && known.Modified == file.LastModified) return known.Version;
        var version = Hash(file);
        _known[path] = (file.Length, file.LastModified, version);
        return version;
    }

    private static string Hash(IFileInfo file)
    {
        using var stream = file.CreateReadStream();
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
    }
}
