using System.Net.Http.Json;
using System.Text.Json;
using ChatHub.Contracts;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>REST helpers speaking the API's snake_case JSON.</summary>
public static class RestApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new RailsTimeAsSeconds() },
    };

    /// <summary>Chatwoot's shapes write some times as Rails does (ISO 8601: a message's updated_at, a contact
    /// record's created_at) where ChatHub's DTOs, which the tests read answers into, keep Unix seconds.</summary>
    private sealed class RailsTimeAsSeconds : System.Text.Json.Serialization.JsonConverter<long>
    {
        public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && DateTimeOffset.TryParse(reader.GetString(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
                ? time.ToUnixTimeSeconds()
                : reader.TokenType == JsonTokenType.String ? long.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : reader.GetInt64();

        public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient http, string path, object? body) =>
        http.PostAsync(path, body is null ? null : JsonContent.Create(body, body.GetType(), options: Json));

    public static Task<HttpResponseMessage> PatchJson(this HttpClient http, string path, object body) =>
        http.PatchAsync(path, JsonContent.Create(body, body.GetType(), options: Json));

    public static async Task<T> Read<T>(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{(int)response.StatusCode} {response.StatusCode}: {text}", null, response.StatusCode);
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public static async Task<T> PostRead<T>(this HttpClient http, string path, object? body) => await (await http.PostJson(path, body)).Read<T>();
    public static async Task<T> GetRead<T>(this HttpClient http, string path) => await (await http.GetAsync(path)).Read<T>();

    /// <summary>The problem details of an error answer.</summary>
    public static async Task<JsonElement> Problem(this HttpResponseMessage response)
    {
        Xunit.Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>Creates a contact in the server's bootstrap inbox.</summary>
    public static Task<ContactDto> CreateContact(this ChatServer server, string name = "Customer", object? extra = null) =>
        server.Http.PostRead<ContactDto>($"{server.ClientApi}/contacts", extra ?? new { name });

    public static Task<ConversationDto> StartConversation(this ChatServer server, ContactDto contact, string? firstMessage = null) =>
        server.Http.PostRead<ConversationDto>($"{server.ClientApi}/contacts/{contact.SourceId}/conversations",
            firstMessage is null ? new { } : new { message = new { content = firstMessage } });

    /// <summary>Creates an agent through the administrator API; returns it with its access token.</summary>
    public static async Task<AgentDto> CreateAgent(this ChatServer server, string name, string role = "agent", long? inboxId = 1)
    {
        using var admin = server.AgentHttp(server.AgentToken);
        var agent = await admin.PostRead<AgentDto>("/api/v1/agents", new { name, email = $"{Guid.NewGuid():N}@example.com", role });
        if (inboxId is { } id) (await admin.PostJson($"/api/v1/inboxes/{id}/members", new { agent_ids = new[] { agent.Id } })).EnsureSuccessStatusCode();
        return agent;
    }
}
