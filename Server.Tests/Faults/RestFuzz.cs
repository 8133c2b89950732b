using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace ChatHub.Server.Tests.Faults;

/// <summary>What a REST attacker aims at: a contact of its own (source_id is the credential) with a conversation
/// and an answerable message, things that are not its own, and agent tokens of every kind.</summary>
public sealed record RestTargets(string InboxIdentifier, string SourceId, long Conversation, long AnswerableMessage,
    long ForeignConversation, long ForeignMessage, long InboxId, string AdminToken, string StrangerToken, string ContactToken);

public sealed record RestCase(string Name, string Method, string Path, IReadOnlyList<(string Header, string Value)> Headers,
    byte[]? Body, string? ContentType);

/// <summary>Malformed REST requests against every endpoint of the client and agent APIs, systematic (endpoint x
/// path segment / query value / body field value / whole body / content type / credentials / method) and seeded
/// random, and a runner that checks every answer is a 2xx, or a 4xx with application/problem+json.</summary>
public static class RestFuzz
{
    private sealed record Endpoint(string Method, string Template, bool Agent, (string Field, string Valid)[]? Body = null, string[]? Query = null);

    private const string Client = "/public/api/v1/inboxes/{inbox}";
    private const string Own = Client + "/contacts/{source}/conversations/{conv}";

    private static Endpoint[] Endpoints() =>
    [
        new("GET", Client, false),
        new("POST", Client + "/contacts", false, ContactBody()),
        new("GET", Client + "/contacts/{source}", false),
        new("PATCH", Client + "/contacts/{source}", false, ContactBody()),
        new("GET", Client + "/contacts/{source}/conversations", false),
        new("POST", Client + "/contacts/{source}/conversations", false,
            [("custom_attributes", "{\"plan\":\"pro\"}"), ("message", "{\"content\":\"hi\",\"echo_id\":null}")]),
        new("GET", Own, false),
        new("POST", Own + "/toggle_status", false),
        new("POST", Own + "/toggle_typing", false, [("typing_status", "\"on\"")]),
        new("POST", Own + "/update_last_seen", false),
        new("GET", Own + "/messages", false, Query: ["before", "after_seq", "limit"]),
        new("POST", Own + "/messages", false, [("content", "\"hello\""), ("echo_id", "null"), ("content_type", "\"text\""), ("content_attributes", "{}")]),
        new("PATCH", Own + "/messages/{msg}", false, [("submitted_values", "{\"choice\":\"yes\"}")]),

        new("GET", "/api/v1/profile", true),
        new("GET", "/api/v1/conversations", true, Query: ["status", "inbox_id", "assignee", "page"]),
        new("GET", "/api/v1/conversations/{id}", true),
        new("GET", "/api/v1/conversations/{id}/messages", true, Query: ["before", "after_seq", "limit"]),
        new("POST", "/api/v1/conversations/{id}/messages", true,
            [("content", "\"hello\""), ("private", "false"), ("echo_id", "null"), ("content_type", "\"text\""), ("content_attributes", "{}")]),
        new("POST", "/api/v1/conversations/{id}/assignments", true, [("assignee_id", "1")]),
        new("POST", "/api/v1/conversations/{id}/toggle_status", true, [("status", "\"open\"")]),
        new("POST", "/api/v1/conversations/{id}/toggle_typing", true, [("typing_status", "\"off\"")]),
        new("POST", "/api/v1/conversations/{id}/update_last_seen", true),
        new("POST", "/api/v1/inboxes", true, [("name", "\"Fuzz\""), ("hmac_mandatory", "false"), ("greeting_message", "\"hi\""),
            ("working_hours", "[{\"day_of_week\":1,\"open_hour\":9,\"open_minutes\":0,\"close_hour\":17,\"close_minutes\":0}]"), ("timezone", "\"UTC\"")]),
        new("GET", "/api/v1/inboxes", true),
        new("POST", "/api/v1/agents", true, [("name", "\"Fuzz\""), ("email", "\"fuzz@example.com\""), ("role", "\"agent\"")]),
        new("POST", "/api/v1/inboxes/{inboxId}/members", true, [("agent_ids", "[1]")]),
        new("GET", "/api/v1/accounts/1/canned_responses", true, Query: ["search"]),
        new("POST", "/api/v1/accounts/1/canned_responses", true, [("short_code", "\"fuzz\""), ("content", "\"Hi {{contact.name}}\"")]),
        new("PATCH", "/api/v1/accounts/1/canned_responses/{id}", true, [("short_code", "\"fuzz-2\""), ("content", "\"Hello\"")]),
        new("POST", "/api/v1/accounts/1/campaigns", true, CampaignBody()),
        new("PATCH", "/api/v1/accounts/1/campaigns/{id}", true, CampaignBody()),
        new("PUT", "/api/v1/accounts/1/inboxes/{inboxId}/post_chat_form", true,
            [("questions", "[{\"id\":\"q\",\"label\":\"L\",\"type\":\"choice\",\"options\":[\"a\",\"b\"],\"required\":true}]")]),
        new("POST", Own + "/post_chat_answers", false, [("answers", "{\"q\":\"a\"}")]),
    ];

    private static (string, string)[] CampaignBody() =>
    [
        ("title", "\"Fuzz\""), ("message", "\"Hi\""), ("inbox_id", "1"), ("sender_id", "null"), ("enabled", "true"),
        ("trigger_rules", "{\"url\":\"https://shop.example/*\",\"time_on_page\":3}"), ("trigger_only_during_business_hours", "false"),
    ];

    private static (string, string)[] ContactBody() =>
    [
        ("identifier", "\"ext-1\""), ("identifier_hash", "null"), ("name", "\"Rita\""), ("email", "\"rita@example.com\""),
        ("phone_number", "\"+1 555 0100\""), ("custom_attributes", "{\"a\":1}"),
    ];

    private static Dictionary<string, string> ValidSegments(RestTargets t) => new()
    {
        ["inbox"] = t.InboxIdentifier, ["source"] = t.SourceId, ["conv"] = t.Conversation.ToString(),
        ["msg"] = t.AnswerableMessage.ToString(), ["id"] = t.Conversation.ToString(), ["inboxId"] = t.InboxId.ToString(),
    };

    private static string[] SegmentValues(RestTargets t) =>
    [
        "0", "-1", "9223372036854775807", "9223372036854775808", "18446744073709551616", "abc", "1.5", "1e3", "0x10", "+1",
        "%20", "%00", "%2F", "%25", "%ZZ", "%C3%28", "%FF%FE", "%F0%9F%98%80", "..%2F..%2Fetc%2Fpasswd", "%2E%2E",
        "null", "undefined", "'%20OR%201=1--", "%3Cscript%3E", "~", "$", "*", "%7Bid%7D", "a;b=c", "@",
        new string('a', 2_000), new string('9', 300),
        t.ForeignConversation.ToString(), t.ForeignMessage.ToString(), Guid.NewGuid().ToString(), t.SourceId.ToUpperInvariant(),
    ];

    private static readonly string[] QueryValues =
    [
        "", "abc", "-1", "0", "1", "100", "101", "99999999999", "9223372036854775808", "1.5", "1e3", "%00", "null", "true",
        "%20", "%2B1", "0x10", new string('7', 3_000), "[]", "{}", "all", "me", "unassigned", "resolved", "%C3%28", "%FF",
    ];

    private static string Deep(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels)) + "1" + new string('}', levels);

    private static IReadOnlyList<(string Name, string Json)> FieldValues(RestTargets t) =>
    [
        ("null", "null"), ("true", "true"), ("false", "false"), ("0", "0"), ("-1", "-1"), ("1.5", "1.5"),
        ("long.MaxValue", "9223372036854775807"), ("long.MaxValue+1", "9223372036854775808"), ("int.MaxValue+1", "2147483648"),
        ("1e400", "1e400"), ("foreign conversation", t.ForeignConversation.ToString()), ("foreign message", t.ForeignMessage.ToString()),
        ("empty string", "\"\""), ("blank", "\"  \""), ("word", "\"x\""), ("numeric string", "\"1\""), ("status", "\"resolved\""),
        ("16,385 characters", HubFuzz.Str(new string('x', 16_385))), ("60,000 characters", HubFuzz.Str(new string('y', 60_000))),
        ("emoji", "\"\ud83d\ude00\""), ("NUL", "\"\\u0000\""), ("lone surrogate", "\"\\udc00\""), ("SQL", "\"'; DROP TABLE contacts; --\""),
        ("empty array", "[]"), ("array", "[1,\"a\",null]"), ("empty object", "{}"), ("object", "{\"a\":{}}"),
        ("nested 20", Deep(20)), ("nested 58", Deep(58)), ("nested 61", Deep(61)), ("nested 63", Deep(63)), ("nested 70", Deep(70)), ("nested arrays 300", new string('[', 300) + new string(']', 300)),
        ("2,000 keys", "{" + string.Join(",", Enumerable.Range(0, 2_000).Select(k => $"\"k{k}\":{k}")) + "}"),
    ];

    private static readonly (string Name, byte[] Bytes)[] WholeBodies = MakeWholeBodies();

    private static (string, byte[])[] MakeWholeBodies()
    {
        var utf8 = Encoding.UTF8;
        var random = new Random(99);
        var binary = new byte[1_000];
        random.NextBytes(binary);
        return
        [
            ("empty", []), ("blank", utf8.GetBytes("  \n ")), ("lone brace", utf8.GetBytes("{")), ("closing brace", utf8.GetBytes("}")),
            ("array", utf8.GetBytes("[]")), ("null", utf8.GetBytes("null")), ("number", utf8.GetBytes("1")), ("string", utf8.GetBytes("\"s\"")),
            ("truncated", utf8.GetBytes("{\"content\":")), ("unknown fields only", utf8.GetBytes("{\"a\":1,\"b\":[2]}")),
            ("trailing garbage", utf8.GetBytes("{\"content\":\"x\"} trailing")), ("single quotes", utf8.GetBytes("{'content':'x'}")),
            ("trailing comma", utf8.GetBytes("{\"content\":\"x\",}")), ("comment", utf8.GetBytes("{/*c*/\"content\":\"x\"}")),
            ("BOM then JSON", [0xEF, 0xBB, 0xBF, .. utf8.GetBytes("{\"content\":\"x\"}")]),
            ("invalid UTF-8", [0x7B, 0x22, 0x63, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0xC3, 0x28, 0x22, 0x7D]),
            ("UTF-16 JSON", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("{\"content\":\"x\"}")).ToArray()),
            ("NUL bytes", [0, 0, 0, 0]), ("random bytes", binary),
            ("duplicate keys", utf8.GetBytes("{\"content\":\"x\",\"content\":5}")),
            ("NaN", utf8.GetBytes("{\"content\":NaN}")),
            ("deep 10,000", utf8.GetBytes(new string('[', 10_000))),
            ("70 KB of JSON", utf8.GetBytes($"{{\"content\":{HubFuzz.Str(new string('x', 70_000))}}}")),
            ("70 KB of garbage", utf8.GetBytes(new string('#', 70_000))),
            ("1 MB of JSON", utf8.GetBytes($"{{\"name\":{HubFuzz.Str(new string('n', 1_000_000))}}}")),
        ];
    }

    private static readonly string?[] ContentTypes =
    [
        null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
        "application/json; charset=utf-16", "application/json; charset=nonsense", "application/json; charset=",
        "application/json; charset=iso-8859-1", "application/merge-patch+json", "application/problem+json", "application/vnd.api+json",
        "*/*", "application/json;;", "APPLICATION/JSON", "json", "/", "a/b/c", "application/json; boundary=\"",
    ];

    private static (string Name, (string, string)[] Headers)[] Credentials(RestTargets t) =>
    [
        ("no token", []),
        ("empty token", [("api_access_token", "")]),
        ("garbage token", [("api_access_token", "nope")]),
        ("300-character token", [("api_access_token", new string('t', 300))]),
        ("5,000-character token", [("api_access_token", new string('t', 5_000))]),
        ("a contact's pubsub token", [("api_access_token", t.ContactToken)]),
        ("an agent of no inbox", [("api_access_token", t.StrangerToken)]),
        ("bearer garbage", [("Authorization", "Bearer nope")]),
        ("empty bearer", [("Authorization", "Bearer ")]),
        ("basic", [("Authorization", "Basic YWRtaW46YWRtaW4=")]),
        ("two tokens", [("api_access_token", t.AdminToken), ("api_access_token", "nope")]),
        ("bearer and header disagree", [("api_access_token", "nope"), ("Authorization", $"Bearer {t.AdminToken}")]),
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "FOO"];

    private static string Fill(string template, IReadOnlyDictionary<string, string> segments) =>
        segments.Aggregate(template, (path, s) => path.Replace("{" + s.Key + "}", s.Value));

    private static string Body((string Field, string Json)[] fields) =>
        "{" + string.Join(",", fields.Select(f => $"{HubFuzz.Str(f.Field)}:{f.Json}")) + "}";

    private static int _emails;

    /// <summary>Valid fields, with a fresh e-mail for agent creation (so a valid request is not a conflict).</summary>
    private static (string Field, string Json)[] ValidFields(Endpoint e) =>
        e.Body!.Select(f => f.Field == "email" && e.Template == "/api/v1/agents"
            ? (f.Field, $"\"fuzz{Interlocked.Increment(ref _emails)}@example.com\"") : f).ToArray();

    private static RestCase Make(string name, Endpoint e, RestTargets t, string path, string? body = null, byte[]? bytes = null,
        string? contentType = "application/json", IReadOnlyList<(string, string)>? headers = null, string? method = null)
    {
        headers ??= e.Agent ? [("api_access_token", t.AdminToken)] : [];
        bytes ??= body is null ? null : Encoding.UTF8.GetBytes(body);
        return new RestCase(name, method ?? e.Method, path, headers, bytes, bytes is null ? null : contentType);
    }

    public static List<RestCase> Systematic(RestTargets t)
    {
        var cases = new List<RestCase>();
        var valid = ValidSegments(t);
        foreach (var e in Endpoints())
        {
            var label = $"{e.Method} {e.Template}";
            var path = Fill(e.Template, valid);
            string? ValidBody() => e.Body is null ? null : Body(ValidFields(e));
            cases.Add(Make($"{label} valid", e, t, path, ValidBody()));

            foreach (var placeholder in valid.Keys.Where(k => e.Template.Contains("{" + k + "}")))
            {
                foreach (var value in SegmentValues(t))
                {
                    var segments = new Dictionary<string, string>(valid) { [placeholder] = value };
                    cases.Add(Make($"{label} {{{placeholder}}}={Short(value)}", e, t, Fill(e.Template, segments), ValidBody()));
                }
            }
            foreach (var parameter in e.Query ?? [])
            {
                foreach (var value in QueryValues)
                    cases.Add(Make($"{label} ?{parameter}={Short(value)}", e, t, $"{path}?{parameter}={value}"));
                cases.Add(Make($"{label} ?{parameter} twice", e, t, $"{path}?{parameter}=1&{parameter}=2"));
                cases.Add(Make($"{label} ?{parameter} without value", e, t, $"{path}?{parameter}"));
            }
            cases.Add(Make($"{label} unknown query", e, t, $"{path}?x=1&__proto__=2&{new string('q', 1_000)}=3"));

            if (e.Body is not null)
            {
                foreach (var field in e.Body)
                {
                    foreach (var (name, json) in FieldValues(t))
                    {
                        var fields = ValidFields(e).Select(f => f.Field == field.Field ? (f.Field, json) : f).ToArray();
                        cases.Add(Make($"{label} {field.Field}={name}", e, t, path, Body(fields)));
                    }
                    cases.Add(Make($"{label} without {field.Field}", e, t, path, Body(ValidFields(e).Where(f => f.Field != field.Field).ToArray())));
                }
                cases.Add(Make($"{label} unknown fields", e, t, path, Body([.. ValidFields(e), ("evil", "{\"$type\":\"x\"}"), ("id", "1")])));
                foreach (var contentType in ContentTypes)
                    cases.Add(Make($"{label} content type {contentType ?? "none"}", e, t, path, ValidBody(), contentType: contentType));
            }
            // Every endpoint gets whole-body garbage, also those that take no body.
            foreach (var (name, bytes) in WholeBodies)
                cases.Add(Make($"{label} body: {name}", e, t, path, bytes: bytes));

            if (e.Agent)
            {
                foreach (var (name, headers) in Credentials(t))
                    cases.Add(Make($"{label} credentials: {name}", e, t, path, ValidBody(), headers: headers));
            }
            foreach (var method in Methods.Where(m => m != e.Method))
                cases.Add(Make($"{label} as {method}", e, t, path, method is "GET" or "OPTIONS" ? null : ValidBody(), method: method));
        }

        string[] paths =
        [
            "/public/api/v1/inboxes", "/public/api/v1/inboxes/", "/public/api/v1", "/api/v1", "/api/v1/", "/api/v1/conversations/",
            "/api/v2/profile", "/public/api/v1/inboxes//contacts", $"/public/api/v1/inboxes/{t.InboxIdentifier}/contacts/",
            $"/public/api/v1/inboxes/{t.InboxIdentifier}/contacts/{t.SourceId}/conversations/{t.Conversation}/messages/",
            "/api/v1/conversations/1/messages/1", "/api/v1/conversations/%2F%2F/messages", "/%00", "/%C3%28", "/.env", "/api/v1/../../etc/passwd",
        ];
        var any = new Endpoint("GET", "", true);
        foreach (var path in paths)
        {
            cases.Add(Make($"path {Short(path)}", any, t, path));
            cases.Add(Make($"POST path {Short(path)}", any, t, path, "{}", method: "POST"));
        }
        return cases;
    }

    /// <summary><paramref name="count"/> requests from a fixed seed, each a valid request with one to three random
    /// mutations.</summary>
    public static List<RestCase> Random(RestTargets t, int seed, int count)
    {
        var random = new Random(seed);
        var endpoints = Endpoints();
        var fieldValues = FieldValues(t);
        var segmentValues = SegmentValues(t);
        var credentials = Credentials(t);
        var cases = new List<RestCase>(count);
        for (var n = 0; n < count; n++)
        {
            var e = endpoints[random.Next(endpoints.Length)];
            var segments = new Dictionary<string, string>(ValidSegments(t));
            var fields = e.Body is null ? null : ValidFields(e).ToList();
            var query = new List<string>();
            byte[]? wholeBody = null;
            string? contentType = "application/json";
            IReadOnlyList<(string, string)>? headers = null;
            string? method = null;
            var mutations = new List<string>();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                switch (random.Next(8))
                {
                    case 0:
                        var keys = segments.Keys.Where(k => e.Template.Contains("{" + k + "}")).ToList();
                        if (keys.Count == 0) goto case 1;
                        var key = keys[random.Next(keys.Count)];
                        segments[key] = random.Next(3) == 0 ? Uri.EscapeDataString(RandomText(random, 40)) : segmentValues[random.Next(segmentValues.Length)];
                        mutations.Add($"{{{key}}}");
                        break;
                    case 1:
                        var name = e.Query is { Length: > 0 } && random.Next(3) > 0 ? e.Query[random.Next(e.Query.Length)] : Uri.EscapeDataString(RandomText(random, 8));
                        var value = random.Next(3) == 0 ? Uri.EscapeDataString(RandomText(random, 30)) : QueryValues[random.Next(QueryValues.Length)];
                        query.Add($"{name}={value}");
                        mutations.Add($"?{name}");
                        break;
                    case 2:
                    case 3:
                        if (fields is null || fields.Count == 0) goto case 4;
                        var at = random.Next(fields.Count);
                        fields[at] = (fields[at].Field, random.Next(2) == 0 ? fieldValues[random.Next(fieldValues.Count)].Json : RandomJson(random, 0));
                        mutations.Add(fields[at].Field);
                        break;
                    case 4:
                        wholeBody = random.Next(3) == 0
                            ? Encoding.UTF8.GetBytes(RandomJson(random, 0))
                            : WholeBodies[random.Next(WholeBodies.Length)].Bytes;
                        mutations.Add("body");
                        break;
                    case 5:
                        contentType = ContentTypes[random.Next(ContentTypes.Length)];
                        mutations.Add("content type");
                        break;
                    case 6:
                        if (!e.Agent) goto case 2;
                        headers = credentials[random.Next(credentials.Length)].Headers;
                        mutations.Add("credentials");
                        break;
                    default:
                        if (random.Next(4) > 0) goto case 3;
                        method = Methods[random.Next(Methods.Length)];
                        mutations.Add("method");
                        break;
                }
            }
            var path = Fill(e.Template, segments) + (query.Count == 0 ? "" : "?" + string.Join("&", query));
            var body = wholeBody is not null ? null : fields is null ? null : Body(fields.ToArray());
            cases.Add(Make($"random #{n} {e.Method} {e.Template} ({string.Join(", ", mutations)})", e, t, path, body, wholeBody,
                contentType, headers, method));
        }
        return cases;
    }

    private static readonly string[] FieldNames =
    [
        "content", "echo_id", "content_type", "content_attributes", "private", "status", "assignee_id", "typing_status",
        "submitted_values", "custom_attributes", "message", "name", "email", "phone_number", "identifier", "identifier_hash",
        "agent_ids", "role", "hmac_mandatory", "working_hours", "day_of_week", "open_hour", "", "$type",
    ];

    private static string RandomJson(Random random, int depth) => random.Next(depth > 3 ? 6 : 9) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => random.NextInt64(long.MinValue, long.MaxValue).ToString(),
        3 => random.Next(-3, 100).ToString(),
        4 => HubFuzz.Str(RandomText(random, random.Next(3) == 0 ? 17_000 : 30)),
        5 => (random.NextDouble() * Math.Pow(10, random.Next(-5, 40))).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        6 => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => RandomJson(random, depth + 1))) + "]",
        _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(5)).Select(_ =>
            $"{HubFuzz.Str(FieldNames[random.Next(FieldNames.Length)])}:{RandomJson(random, depth + 1)}")) + "}",
    };

    private static string RandomText(Random random, int maxLength)
    {
        var length = random.Next(0, maxLength + 1);
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(12) switch
            {
                0 => (char)random.Next(0, 32),
                1 => (char)random.Next(0xA0, 0x3000),
                _ => (char)random.Next(0x20, 0x7F),
            });
        }
        return builder.ToString();
    }

    private static string Short(string text) => text.Length <= 30 ? text : text[..15] + $"...({text.Length} chars)";

    // ---- the runner

    private const int MaxBodyBytes = 64 * 1024;

    public sealed class Result
    {
        public int Tried;
        public int Skipped;
        public int Success;
        public int ClientErrors;
        public int ServerErrors;
        public int TransportErrors;
        public int Retried;
        public int RejectedByKestrel;
        public readonly ConcurrentDictionary<int, int> ByStatus = new();
        public readonly ConcurrentQueue<string> Problems = new();
    }

    public static async Task<Result> RunAsync(Uri baseUrl, IReadOnlyList<RestCase> cases, int parallelism = 4)
    {
        var result = new Result();
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallelism).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < cases.Count; i = Interlocked.Increment(ref next))
                await RunOneAsync(http, baseUrl, cases[i], result);
        })));
        return result;
    }

    /// <summary>Requests after which Kestrel closes the connection (a body over the limit it will not drain, a request
    /// line it refuses) go on a connection of their own, so they cannot break a pooled connection under another request.</summary>
    private static bool ClosesItsConnection(RestCase c) => c.Body is { Length: > MaxBodyBytes } || c.Path.Contains("%00", StringComparison.Ordinal);

    private static HttpRequestMessage Build(Uri uri, RestCase c)
    {
        var request = new HttpRequestMessage(new HttpMethod(c.Method), uri);
        foreach (var (header, value) in c.Headers) request.Headers.TryAddWithoutValidation(header, value);
        if (ClosesItsConnection(c)) request.Headers.ConnectionClose = true;
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            if (c.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
        }
        return request;
    }

    private static async Task RunOneAsync(HttpClient pooled, Uri baseUrl, RestCase c, Result result)
    {
        if (!Uri.TryCreate(baseUrl, c.Path, out var uri))
        {
            Interlocked.Increment(ref result.Skipped);
            return;
        }
        Interlocked.Increment(ref result.Tried);
        using var own = ClosesItsConnection(c) ? new HttpClient { Timeout = TimeSpan.FromSeconds(60) } : null;
        var http = own ?? pooled;
        HttpResponseMessage? response = null;
        var text = "";
        for (var attempt = 1; response is null; attempt++)
        {
            using var request = Build(uri, c);
            try
            {
                response = await http.SendAsync(request);
                text = await response.Content.ReadAsStringAsync();
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                response?.Dispose();
                response = null;
                // Over Limits:MaxRequestBodyBytes, the server may answer (413, or the endpoint's answer if it reads no
                // body) and close the connection before the client has sent it all; the client then sees no answer.
                if (c.Body is { Length: > MaxBodyBytes })
                {
                    Interlocked.Increment(ref result.TransportErrors);
                    return;
                }
                // A pooled connection the server closed at the moment it was reused: once more, on a fresh one.
                if (attempt == 1)
                {
                    Interlocked.Increment(ref result.Retried);
                    continue;
                }
                Interlocked.Increment(ref result.TransportErrors);
                result.Problems.Enqueue($"{c.Name}: no answer, twice ({ex.GetType().Name}: {ex.Message})");
                return;
            }
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            result.ByStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (status is >= 200 and < 300)
            {
                Interlocked.Increment(ref result.Success);
                return;
            }
            if (status >= 500) Interlocked.Increment(ref result.ServerErrors);
            else if (status >= 400) Interlocked.Increment(ref result.ClientErrors);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (status == 400 && text.Length == 0 && mediaType is null && c.Path.Contains("%00", StringComparison.Ordinal))
            {
                // Kestrel refuses a NUL in the path while parsing the request line, before any middleware runs.
                Interlocked.Increment(ref result.RejectedByKestrel);
                return;
            }
            if (status is < 400 or >= 500 || mediaType != "application/problem+json" || !IsProblem(text, status))
                result.Problems.Enqueue($"{c.Name}: {status} {mediaType ?? "(no content type)"} {Short(text)}");
        }
    }

    private static bool IsProblem(string text, int status)
    {
        try
        {
            using var problem = JsonDocument.Parse(text);
            return problem.RootElement.TryGetProperty("status", out var s) && s.TryGetInt32(out var value) && value == status
                && problem.RootElement.TryGetProperty("title", out var title) && HubFuzz.Codes.Contains(title.GetString());
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
