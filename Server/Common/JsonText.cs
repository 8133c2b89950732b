using System.Text.Json;

namespace ChatHub.Server.Common;

/// <summary>Attributes are stored as JSON text; these convert them at the store's edge.</summary>
public static class JsonText
{
    public static string? From(JsonElement? value) =>
        value is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } v ? v.GetRawText() : null;

    public static string? From(Dictionary<string, JsonElement>? value) =>
        value is null ? null : JsonSerializer.Serialize(value);

    public static JsonElement? ToElement(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonDocument.Parse(WellFormedText.Repair(json)).RootElement.Clone();

    public static Dictionary<string, JsonElement>? ToDictionary(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(WellFormedText.Repair(json));

    public static int Size(JsonElement? value) => From(value)?.Length ?? 0;
    /// <summary>The size of the object's JSON text, from the values' raw text: serialising could throw on a value
    /// that is not well-formed, which the validators report on their own.</summary>
    public static int Size(Dictionary<string, JsonElement>? value) =>
        value is null ? 0 : 2 + value.Sum(p => p.Key.Length + 4 + p.Value.GetRawText().Length);

    /// <summary>How many objects and arrays deep a value nests (a scalar is 0, {} is 1).</summary>
    public static int Depth(JsonElement? value) => value is not { } v ? 0 : v.ValueKind switch
    {
        JsonValueKind.Object => 1 + v.EnumerateObject().Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => 1 + v.EnumerateArray().Select(e => Depth(e)).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    public static int Depth(Dictionary<string, JsonElement>? value) =>
        value is null ? 0 : 1 + value.Values.Select(e => Depth(e)).DefaultIfEmpty(0).Max();
}
