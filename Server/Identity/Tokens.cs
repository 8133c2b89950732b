using System.Security.Cryptography;
using System.Text;

namespace ChatHub.Server.Identity;

/// <summary>Secrets: generation, lookup hashes, constant-time comparison and HMAC identity validation.</summary>
public static class Tokens
{
    /// <summary>160 random bits, URL-safe.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(20));

    /// <summary>Public identifiers that must not be guessable (inbox identifiers, source ids).</summary>
    public static string NewIdentifier() => Base64Url(RandomNumberGenerator.GetBytes(18));

    /// <summary>128 random bits, lower-case hex: an attachment's URL, its only credential.</summary>
    public static string NewAttachmentToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Tokens are looked up by their SHA-256, so the index never compares secrets byte by byte.</summary>
    public static string LookupHash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool FixedTimeEquals(string? a, string? b)
    {
        if (a is null || b is null) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
    }

    /// <summary>Chatwoot's identity validation: lowercase hex HMAC-SHA256(key = hmac_token, data = identifier).</summary>
    public static string IdentifierHash(string hmacToken, string identifier) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(hmacToken), Encoding.UTF8.GetBytes(identifier)));

    public static bool IsValidIdentifierHash(string hmacToken, string? identifier, string? hash) =>
        !string.IsNullOrEmpty(identifier) && !string.IsNullOrEmpty(hash)
        && FixedTimeEquals(IdentifierHash(hmacToken, identifier), hash.ToLowerInvariant());

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
