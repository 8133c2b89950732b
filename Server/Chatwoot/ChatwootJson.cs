using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatHub.Server.Chatwoot;

/// <summary>How Chatwoot's shapes are written where no ASP.NET Core serializer writes them (/cable frames, webhook
/// bodies): snake_case keys as the REST answers (ChatHubApp's JSON options), text as UTF-8 rather than \u escapes (as
/// Rails writes it; a JSON body is never embedded in HTML). Also Rails' two ways of writing a time.</summary>
public static class ChatwootJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonObject ToObject<T>(T shape) => JsonSerializer.SerializeToNode(shape, Options)!.AsObject();

    public static string Write(JsonNode node) => node.ToJsonString(Options);

    /// <summary>A time as Rails' JSON writes an ActiveSupport time (<c>created_at</c> of webhook_data, a message's
    /// <c>updated_at</c> in push_event_data): ISO 8601 in UTC with milliseconds; ChatHub's shapes keep seconds.</summary>
    public static string Time(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");

    public static string? Time(long? unixSeconds) => unixSeconds is { } s ? Time(s) : null;
}
