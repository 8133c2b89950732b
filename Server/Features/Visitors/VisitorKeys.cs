using System.Text.RegularExpressions;
using ChatHub.Server.Identity;

namespace ChatHub.Server.Features.Visitors;

/// <summary>The widget's visitor key is a random secret it keeps in localStorage (like a contact's pubsub token): whoever
/// holds it is told when an agent starts a chat, with the contact's credentials. Agents, events and the board see only
/// the public id derived from it, which cannot be turned back into the key.</summary>
public static partial class VisitorKeys
{
    public const int MinLength = 16;
    public const int MaxLength = 64;

    public static bool IsWellFormed(string? key) => key is { Length: >= MinLength and <= MaxLength } && KeyPattern().IsMatch(key);

    /// <summary>32 hex digits of the key's SHA-256.</summary>
    public static string PublicId(string key) => Tokens.LookupHash("visitor:" + key)[..32];

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex KeyPattern();
}
