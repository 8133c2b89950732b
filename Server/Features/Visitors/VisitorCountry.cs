namespace ChatHub.Server.Features.Visitors;

/// <summary>The country agents are shown for a visitor: the region of the browser's first language that names one
/// (<c>Accept-Language: de-CH,de;q=0.9</c> is "CH"). A guess the visitor's own browser states; never from the IP
/// address, which agents are never shown.</summary>
public static class VisitorCountry
{
    public static string? FromAcceptLanguage(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > 1000) return null;
        foreach (var entry in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(20))
        {
            var tag = entry.Split(';')[0].Trim();
            // language[-script][-region]: the region is the first later subtag of two letters.
            foreach (var subtag in tag.Split('-').Skip(1))
                if (subtag.Length == 2 && char.IsAsciiLetter(subtag[0]) && char.IsAsciiLetter(subtag[1])) return subtag.ToUpperInvariant();
        }
        return null;
    }
}
