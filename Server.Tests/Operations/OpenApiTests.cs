using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatHub.Server.Tests.Infrastructure;
using Json.Schema;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.Operations;

/// <summary>The API reference cannot drift from the API: a real server is toured through every operation of its own
/// /openapi/v1.json (and a few of their errors), every answer is recorded as the client got it, and each is validated
/// with a JSON Schema validator (JsonSchema.Net) against the schema the document gives for that operation and status.
/// Every operation must have been called with success, have a summary and a tag.</summary>
public sealed class OpenApiTests(ITestOutputHelper output)
{
    private const string DocumentUri = "https://chathub.test/openapi/v1.json";

    [Fact]
    public async Task Real_answers_of_every_operation_match_the_document()
    {
        await using var smtp = await SmtpServer.StartAsync(); // the transcript's success needs a mail server
        var settings = smtp.Settings;
        settings["Webhooks:AllowPrivateNetworks"] = "true";
        await using var server = await ChatServer.StartAsync(settings: settings);
        var recorded = new List<Exchange>();
        var tour = new Tour(server, recorded);
        await tour.RunAsync();

        using var document = JsonDocument.Parse(await server.Http.GetStringAsync("/openapi/v1.json"));
        var operations = Operations(document.RootElement).ToList();
        var problems = new List<string>();
        var registry = new SchemaRegistry();
        registry.Register(new Uri(DocumentUri), new JsonElementBaseDocument(document.RootElement.Clone(), new Uri(DocumentUri)));
        var build = new BuildOptions { SchemaRegistry = registry };

        foreach (var exchange in recorded)
        {
            var operation = operations.FirstOrDefault(o => o.Method == exchange.Method && o.Pattern.IsMatch(exchange.Path));
            if (operation is null) { problems.Add($"{exchange.Method} {exchange.Path}: not in the document"); continue; }
            var status = ((int)exchange.Status).ToString();
            if (!operation.Element.GetProperty("responses").TryGetProperty(status, out var response))
            {
                problems.Add($"{exchange.Method} {operation.Template}: answered {status}, which the document does not list");
                continue;
            }
            if (exchange.Body.Length == 0) continue;
            var mediaType = exchange.ContentType ?? "";
            if (!IsJson(mediaType))
            {
                // A file: its type must be one the document lists (or covers by a wildcard); its bytes have no schema.
                var listed = response.TryGetProperty("content", out var types) &&
                    types.EnumerateObject().Any(t => t.Name == mediaType || (t.Name.EndsWith("/*") && mediaType.StartsWith(t.Name[..^1])));
                if (!listed) problems.Add($"{exchange.Method} {operation.Template} {status}: a {mediaType} body the document does not list");
                continue;
            }
            if (!response.TryGetProperty("content", out var content) || !content.TryGetProperty(mediaType, out _))
            {
                problems.Add($"{exchange.Method} {operation.Template} {status}: a {mediaType} body the document does not describe");
                continue;
            }
            var pointer = $"#/paths/{Escape(operation.Template)}/{exchange.Method.ToLowerInvariant()}/responses/{status}/content/{Escape(mediaType)}/schema";
            var schema = JsonSchema.FromText($$"""{"$ref": "{{DocumentUri}}{{pointer}}"}""", build);
            using var body = JsonDocument.Parse(exchange.Body);
            var result = schema.Evaluate(body.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
            if (!result.IsValid)
            {
                var errors = new List<string>();
                Failures(result, errors);
                problems.Add($"{exchange.Method} {operation.Template} {status}: {string.Join("; ", errors.Take(8))}\n    body: {Shorten(exchange.Body)}");
            }
        }

        foreach (var operation in operations)
        {
            if (!recorded.Any(e => e.Method == operation.Method && operation.Pattern.IsMatch(e.Path) && (int)e.Status < 300))
                problems.Add($"{operation.Method} {operation.Template}: never called with success by the tour");
            if (!operation.Element.TryGetProperty("summary", out _)) problems.Add($"{operation.Method} {operation.Template}: no summary");
            if (!operation.Element.TryGetProperty("tags", out var tags) || tags.GetArrayLength() != 1) problems.Add($"{operation.Method} {operation.Template}: not one tag");
        }
        output.WriteLine($"{recorded.Count} answers of {operations.Count} operations checked");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task The_reference_is_browsable_at_docs_and_the_document_names_its_security_scheme()
    {
        await using var server = await ChatServer.StartAsync();
        var page = await server.Http.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("scalar", (await page.Content.ReadAsStringAsync()).ToLowerInvariant());

        using var document = JsonDocument.Parse(await server.Http.GetStringAsync("/openapi/v1.json"));
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("api_access_token");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        var id = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("MessageDto").GetProperty("properties").GetProperty("id");
        Assert.Equal("integer", id.GetProperty("type").GetString());
    }

    private sealed record Operation(string Method, string Template, Regex Pattern, JsonElement Element);

    private static IEnumerable<Operation> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var pattern = new Regex("^" + Regex.Replace(Regex.Escape(path.Name), @"\\\{[^}]+}", "[^/]+") + "$");
            foreach (var operation in path.Value.EnumerateObject())
                yield return new Operation(operation.Name.ToUpperInvariant(), path.Name, pattern, operation.Value);
        }
    }

    /// <summary>The errors of the failing nodes only: a branch that failed inside a passing oneOf is no failure.</summary>
    private static void Failures(EvaluationResults result, List<string> errors)
    {
        if (result.IsValid) return;
        foreach (var (keyword, message) in result.Errors ?? new Dictionary<string, string>())
            errors.Add($"{result.InstanceLocation} ({result.EvaluationPath}, {keyword}): {message}");
        foreach (var detail in result.Details ?? []) Failures(detail, errors);
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment.Replace("~", "~0").Replace("/", "~1")).Replace("%7B", "{").Replace("%7D", "}");

    private static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json");

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "...";
}

/// <summary>One answer as the client got it.</summary>
internal sealed record Exchange(string Method, string Path, HttpStatusCode Status, string? ContentType, string Body);

/// <summary>Records every answer of the HttpClients built on it.</summary>
internal sealed class RecordingHandler(List<Exchange> recorded) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        lock (recorded)
            recorded.Add(new Exchange(request.Method.Method, request.RequestUri!.AbsolutePath, response.StatusCode,
                response.Content.Headers.ContentType?.MediaType, body));
        return response;
    }
}
