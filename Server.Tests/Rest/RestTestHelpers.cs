using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Small helpers shared by the REST tests: paths of the client API, sends as contact or agent,
/// problem-details and wire-format assertions, HMAC hashes and a side connection to the SQLite file.</summary>
public static partial class RestTestHelpers
{
    // ---- paths

    public static string ContactPath(this ChatServer server, ContactDto contact) =>
        $"{server.ClientApi}/contacts/{contact.SourceId}";

    public static string ConversationPath(this ChatServer server, ContactDto contact, long conversationId) =>
        $"{server.ContactPath(contact)}/conversations/{conversationId}";

    public static string AgentConversationPath(long conversationId) => $"/api/v1/conversations/{conversationId}";

    // ---- client API

    public static Task<MessageDto> SendAsContact(this ChatServer server, ContactDto contact, long conversationId,
        string content, string? echoId = null) =>
        server.Http.PostRead<MessageDto>($"{server.ConversationPath(contact, conversationId)}/messages",
            echoId is null ? new { content } : new { content, echo_id = echoId });

    public static Task<List<MessageDto>> MessagesAsContact(this ChatServer server, ContactDto contact, long conversationId,
        string query = "") =>
        server.Http.GetRead<List<MessageDto>>($"{server.ConversationPath(contact, conversationId)}/messages{query}");

    public static Task<ConversationDto> ConversationAsContact(this ChatServer server, ContactDto contact, long conversationId) =>
        server.Http.GetRead<ConversationDto>(server.ConversationPath(contact, conversationId));

    // ---- agent API

    /// <summary>An HttpClient of the bootstrap administrator (agent 1, member of inbox 1).</summary>
    public static HttpClient AdminHttp(this ChatServer server) => server.AgentHttp(server.AgentToken);

    public static Task<MessageDto> SendAsAgent(this HttpClient agent, long conversationId, string content,
        bool isPrivate = false, string? echoId = null, string? contentType = null, object? contentAttributes = null) =>
        agent.PostRead<MessageDto>($"{AgentConversationPath(conversationId)}/messages", new
        {
            content,
            @private = isPrivate,
            echo_id = echoId,
            content_type = contentType,
            content_attributes = contentAttributes,
        });

    public static Task<List<MessageDto>> MessagesAsAgent(this HttpClient agent, long conversationId, string query = "") =>
        agent.GetRead<List<MessageDto>>($"{AgentConversationPath(conversationId)}/messages{query}");

    public static Task<ConversationDto> ConversationAsAgent(this HttpClient agent, long conversationId) =>
        agent.GetRead<ConversationDto>(AgentConversationPath(conversationId));

    public static Task<ConversationPageDto> ListAsAgent(this HttpClient agent, string query = "") =>
        agent.GetRead<ConversationPageDto>($"/api/v1/conversations{query}");

    public sealed record ConversationPageDto(List<ConversationDto> Data, PageMetaDto Meta);
    public sealed record PageMetaDto(int Count, int Page);

    /// <summary>Creates an inbox through the administrator API.</summary>
    public static async Task<InboxAdminDto> CreateInbox(this ChatServer server, string name, bool hmacMandatory = false)
    {
        using var admin = server.AdminHttp();
        return await admin.PostRead<InboxAdminDto>("/api/v1/inboxes", new { name, hmac_mandatory = hmacMandatory });
    }

    public static Task<ContactDto> CreateContactIn(this ChatServer server, string inboxIdentifier, object body) =>
        server.Http.PostRead<ContactDto>($"/public/api/v1/inboxes/{inboxIdentifier}/contacts", body);

    // ---- JSON

    public static async Task<JsonElement> JsonBody(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The object has every field the contract names, and all of its names are snake_case.</summary>
    public static void AssertFields(JsonElement json, params string[] fields)
    {
        Assert.Equal(JsonValueKind.Object, json.ValueKind);
        var names = json.EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var field in fields) Assert.True(names.Contains(field), $"missing field '{field}' in {json}");
        foreach (var name in names) Assert.Matches(SnakeCase(), name);
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    public static readonly string[] ContactFields =
        ["id", "source_id", "pubsub_token", "name", "email", "phone_number", "identifier", "custom_attributes", "hmac_verified"];

    public static readonly string[] ConversationFields =
    [
        "id", "uuid", "inbox_id", "contact_id", "status", "assignee_id", "seq", "custom_attributes",
        "contact_last_seen_at", "agent_last_seen_at", "created_at", "last_activity_at", "messages",
    ];

    public static readonly string[] MessageFields =
    [
        "id", "conversation_id", "seq", "message_type", "content", "content_type", "content_attributes", "private",
        "status", "echo_id", "sender", "created_at", "updated_at",
    ];

    /// <summary>A message in Chatwoot's REST answers: push data without echo_id unless the sender gave one.</summary>
    public static readonly string[] ChatwootMessageFields =
    [
        "id", "conversation_id", "inbox_id", "seq", "message_type", "content", "content_type", "content_attributes", "private",
        "status", "source_id", "sender", "created_at", "updated_at", "attachments",
    ];

    public static readonly string[] InboxFields =
    [
        "identifier", "name", "timezone", "working_hours_enabled", "working_hours", "identity_validation_enabled",
        "greeting_enabled", "greeting_message",
    ];

    /// <summary>Unix seconds now; a time the server stamps between two of these is a Unix-seconds time.</summary>
    public static long NowSeconds() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static void AssertUnixSeconds(long? value, long from, long to)
    {
        Assert.NotNull(value);
        Assert.InRange(value!.Value, from, to);
    }

    // ---- errors

    /// <summary>Asserts an RFC 9457 problem with API.md's code as the title, a detail and Chatwoot's message.</summary>
    public static async Task<JsonElement> AssertProblem(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), text);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("message").GetString()), text);
        return problem;
    }

    /// <summary>A 422 validation problem naming <paramref name="field"/> in its errors.</summary>
    public static async Task<JsonElement> AssertValidation(this HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblem(HttpStatusCode.UnprocessableEntity, ErrorCodes.Validation);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no errors.{field} in {problem}");
        Assert.NotEmpty(messages.EnumerateArray());
        return problem;
    }

    /// <summary>Bad input is the client's fault: a 4xx problem, never a 5xx.</summary>
    public static async Task AssertClientError(this HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{what}: expected 4xx, got {status}: {text}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{what}: expected problem+json, got {response.Content.Headers.ContentType}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()), what);
        Assert.True(problem.TryGetProperty("message", out _), $"{what}: no message in {text}");
    }

    // ---- HMAC identity validation and the SQLite file

    /// <summary>Chatwoot's identifier_hash: lowercase hex HMAC-SHA256(key = inbox hmac_token, data = identifier).</summary>
    public static string IdentifierHash(string hmacToken, string identifier) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(hmacToken), Encoding.UTF8.GetBytes(identifier)));

    /// <summary>A connection of its own to the server's database file, as another process would open it.</summary>
    public static SqliteConnection OpenDatabase(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static object? Scalar(this SqliteConnection connection, string sql, params (string Name, object Value)[] args)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in args) command.Parameters.AddWithValue(name, value);
        return command.ExecuteScalar();
    }
}
