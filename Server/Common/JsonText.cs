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
        string.IsNullOrEmpty(json) ? null : JsonDocument.Parse(json).RootElement.Clone();

    public static Dictionary<string, JsonElement>? ToDictionary(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json);

    public static int Size(JsonElement? value) => From(value)?.Length ?? 0;
    public static int Size(Dictionary<string, JsonElement>? value) => From(value)?.Length ?? 0;
}
