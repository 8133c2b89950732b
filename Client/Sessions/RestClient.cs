using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChatHub.Client;

/// <summary>The few REST calls the sessions need, in the API's snake_case JSON. An error answer (problem
/// details with the code as title) becomes a <see cref="ChatHubException"/> like the hub's.</summary>
internal sealed class RestClient(Uri serverUrl, string? agentAccessToken = null)
{
    // Shared, so sessions reuse connections instead of exhausting sockets.
    private static readonly HttpClient s_http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, Url(path)), cancellationToken);

    public Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, Url(path)) { Content = JsonContent.Create(body, body.GetType(), options: s_json) },
            cancellationToken);

    /// <summary>A DELETE whose answer body is not needed (e.g. <c>{success: true}</c>).</summary>
    public Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(new HttpRequestMessage(HttpMethod.Delete, Url(path)), cancellationToken);

    private Uri Url(string path) => new(serverUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + path);

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            if (agentAccessToken is not null)
            {
                request.Headers.Add("api_access_token", agentAccessToken);
            }
            using var response = await s_http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync<T>(s_json, cancellationToken).ConfigureAwait(false)
                    ?? throw new ChatHubException(ChatHubException.UnknownCode, "empty answer", $"{request.RequestUri}: empty answer");
            }
            throw await ErrorOf(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<ChatHubException> ErrorOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? code = null, detail = null;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
            code = problem.TryGetProperty("title", out var title) ? title.GetString() : null;
            detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Not problem details (a proxy's error page): the status says enough.
        }
        detail ??= $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new ChatHubUnauthorizedException(detail),
            HttpStatusCode.TooManyRequests => new ChatHubRateLimitedException(detail, RetryAfterOf(response)),
            _ => new ChatHubException(code ?? ChatHubException.UnknownCode, detail, $"{code ?? ChatHubException.UnknownCode}: {detail}"),
        };
    }

    // Retry-After is seconds (as ChatHub sends it) or an HTTP date (as a proxy may).
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > DateTimeOffset.UtcNow ? date - DateTimeOffset.UtcNow : TimeSpan.Zero,
        _ => null,
    };
}
