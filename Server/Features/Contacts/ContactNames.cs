using System.Security.Cryptography;

namespace ChatHub.Server.Features.Contacts;

/// <summary>A contact always has a name: Chatwoot generates one when none is given (an adjective-noun-number like
/// "misty-sun-1234"), and clients such as Chatwoot's Flutter SDK require it. It is stored at creation, so the
/// customer and the agents see the same name until the customer gives theirs.</summary>
public static class ContactNames
{
    private static readonly string[] Adjectives =
    [
        "misty", "silent", "bold", "calm", "bright", "gentle", "quiet", "swift", "wild", "young",
        "autumn", "hidden", "lively", "proud", "shy", "sparkling", "still", "sunny", "wandering", "winter",
    ];

    private static readonly string[] Nouns =
    [
        "sun", "river", "forest", "meadow", "mountain", "field", "cloud", "brook", "wave", "moon",
        "breeze", "dawn", "flower", "leaf", "lake", "pine", "snow", "star", "stone", "wind",
    ];

    /// <summary>Whether a name is one <see cref="Generate"/> made (the customer has not given theirs): the pre-chat form's
    /// required name is not answered by it.</summary>
    public static bool IsGenerated(string? name)
    {
        var parts = name?.Split('-');
        return parts is { Length: 3 } && Adjectives.Contains(parts[0]) && Nouns.Contains(parts[1])
            && parts[2].Length == 4 && parts[2].All(char.IsAsciiDigit);
    }

    public static string Generate() =>
        $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}-{Nouns[RandomNumberGenerator.GetInt32(Nouns.Length)]}-{RandomNumberGenerator.GetInt32(1000, 10000)}";
}
