using System.Security.Cryptography;
using System.Text;

namespace ChatHub.Server.Channels.Webhooks;

/// <summary>Chatwoot's webhook signature: <c>sha256=</c> and the hex HMAC-SHA256, keyed by the webhook's secret,
/// of <c>"{X-Chatwoot-Timestamp}.{raw body}"</c>.</summary>
public static class WebhookSignature
{
    public static string Sign(string secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    /// <summary>As a receiver checks it: recomputed and compared in constant time.</summary>
    public static bool IsValid(string secret, long timestamp, string body, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
