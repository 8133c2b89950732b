using System.Text;
using System.Text.Json;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;

namespace ChatHub.Server.Tests.Faults;

/// <summary>What the server must do with a frame.</summary>
public enum HubCaseKind
{
    /// <summary>A well-formed invocation with an id: the server must answer it (success, or a coded error) and
    /// keep the connection open.</summary>
    Invocation,
    /// <summary>A well-formed invocation without an id: no answer, and the connection stays open.</summary>
    NonBlocking,
    /// <summary>Protocol-level garbage: the server may close the connection (the fuzzer reconnects); if it
    /// answers an id, the answer must be coded; if it keeps the connection, the connection must still work.</summary>
    Garbage,
}

/// <summary>One frame to send; <see cref="Frame"/> gets the invocation id to use (when the frame has one).</summary>
public sealed record HubCase(string Name, HubCaseKind Kind, Func<string, string> Frame);

/// <summary>Ids an attacker aims at: its own things, and things that are not its own.</summary>
public sealed record HubTargets(long OwnConversation, long ForeignConversation, long OwnMessage, long ForeignMessage,
    long AnswerableMessage, long InboxAgent, long InboxId);

/// <summary>Malformed hub invocations, generated systematically (method x argument x value) and by a seeded
/// random generator, and a runner that sends them over a <see cref="RawHubSocket"/> and judges the answers.</summary>
public static class HubFuzz
{
    public static readonly string[] Codes =
    [
        ErrorCodes.Validation, ErrorCodes.NotFound, ErrorCodes.Forbidden, ErrorCodes.Unauthorized, ErrorCodes.Conflict,
        ErrorCodes.TooLarge, ErrorCodes.RateLimited, ErrorCodes.Unavailable,
    ];

    public static string Str(string value) => JsonSerializer.Serialize(value);

    private static string Deep(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels)) + "1" + new string('}', levels);
    private static string DeepArray(int levels) => new string('[', levels) + new string(']', levels);
    private static string Wide(int keys) => "{" + string.Join(",", Enumerable.Range(0, keys).Select(k => $"\"k{k}\":{k}")) + "}";

    /// <summary>Valid JSON values of every type and size an argument or field could get (all well under the
    /// 64 KB frame limit).</summary>
    public static IReadOnlyList<(string Name, string Json)> Values(HubTargets t) =>
    [
        ("own conversation id", t.OwnConversation.ToString()),
        ("foreign conversation id", t.ForeignConversation.ToString()),
        ("own message id", t.OwnMessage.ToString()),
        ("foreign message id", t.ForeignMessage.ToString()),
        ("answerable message id", t.AnswerableMessage.ToString()),
        ("0", "0"), ("-1", "-1"), ("long.MinValue", "-9223372036854775808"), ("long.MaxValue", "9223372036854775807"),
        ("long.MaxValue+1", "9223372036854775808"), ("2^64", "18446744073709551616"), ("int.MaxValue+1", "2147483648"),
        ("1e400", "1e400"), ("1.5", "1.5"), ("-0.0", "-0.0"), ("1e3", "1e3"), ("unknown id", "987654321"),
        ("null", "null"), ("true", "true"), ("false", "false"),
        ("empty string", "\"\""), ("blank string", "\"   \""), ("numeric string", "\"1\""), ("\"resolved\"", "\"resolved\""),
        ("\"open\"", "\"open\""), ("\"pending\"", "\"pending\""), ("\"all\"", "\"all\""), ("\"online\"", "\"online\""), ("\"me\"", "\"me\""),
        ("\"input_select\"", "\"input_select\""), ("\"weird\"", "\"weird\""),
        ("16,385 characters", Str(new string('x', 16_385))), ("60,000 characters", Str(new string('y', 60_000))),
        ("NUL", "\"\\u0000\""), ("lone surrogate", "\"\\ud800\""), ("emoji", "\"\ud83d\ude00\ud83d\udd25\""), ("RTL override", "\"\\u202e\""),
        ("SQL", "\"'; DROP TABLE messages; --\""), ("script", "\"<script>alert(1)</script>\""), ("format string", "\"{0}%s%n\""),
        ("control characters", "\"\\n\\r\\t\\b\\f\""),
        ("empty array", "[]"), ("array of ids", "[1,2,3]"), ("array with null", "[null]"), ("empty object", "{}"),
        ("object", "{\"a\":1}"), ("object with null", "{\"a\":null}"), ("nested 20", Deep(20)), ("nested arrays 50", DeepArray(50)),
        ("nested 56", Deep(56)), ("nested 59", Deep(59)), ("nested 61", Deep(61)), ("2,000 keys", Wide(2_000)),
    ];

    private sealed record Slot(string Name, string Valid, (string Field, string Valid)[]? Fields = null);
    private sealed record Shape(string Method, Slot[] Slots);

    private static Shape[] Shapes(HubTargets t) =>
    [
        new("StartConversation", [Obj("request", ("customAttributes", "{\"plan\":\"pro\"}"), ("message", "{\"content\":\"hello\"}"))]),
        new("SendMessage", [Obj("request", ("conversationId", t.OwnConversation.ToString()), ("content", "\"fuzz\""),
            ("echoId", "null"), ("contentType", "\"text\""), ("contentAttributes", "{}"), ("private", "false"))]),
        new("ListConversations", [Obj("request", ("status", "\"all\""), ("inboxId", t.InboxId.ToString()), ("assignee", "\"all\""), ("page", "1"))]),
        new("GetMessages", [Obj("request", ("conversationId", t.OwnConversation.ToString()), ("before", "null"), ("afterSeq", "0"), ("limit", "20"))]),
        new("SetTyping", [new("conversationId", t.OwnConversation.ToString()), new("isTyping", "true")]),
        new("MarkSeen", [new("conversationId", t.OwnConversation.ToString())]),
        new("SetStatus", [new("conversationId", t.OwnConversation.ToString()), new("status", "\"open\"")]),
        new("Assign", [new("conversationId", t.OwnConversation.ToString()), new("agentId", t.InboxAgent.ToString())]),
        new("UpdateContact", [Obj("request", ("name", "\"Mallory\""), ("email", "\"m@example.com\""), ("phoneNumber", "\"+1 555 0100\""),
            ("customAttributes", "{\"a\":1}"))]),
        new("SubmitValues", [new("messageId", t.AnswerableMessage.ToString()), new("submittedValues", "{\"choice\":\"yes\"}")]),
        new("SetAvailability", [new("availability", "\"online\"")]),
        new("Ping", [new("clientTime", "1")]),
    ];

    private static Slot Obj(string name, params (string Field, string Valid)[] fields) =>
        new(name, ObjectJson(fields), fields);

    private static string ObjectJson(IEnumerable<(string Field, string Json)> fields) =>
        "{" + string.Join(",", fields.Select(f => $"{Str(f.Field)}:{f.Json}")) + "}";

    public static string Invocation(string? id, string target, IEnumerable<string> args) =>
        "{\"type\":1," + (id is null ? "" : $"\"invocationId\":{Str(id)},") + $"\"target\":{Str(target)},\"arguments\":[{string.Join(",", args)}]}}";

    private static HubCase Call(string name, string method, IEnumerable<string> args)
    {
        var list = args.ToList();
        var frame = Invocation("x", method, list);
        // A frame nesting deeper than System.Text.Json's limit (64) cannot be read at all: protocol garbage.
        var kind = Nesting(frame) > 64 ? HubCaseKind.Garbage : HubCaseKind.Invocation;
        return new HubCase(kind == HubCaseKind.Garbage ? $"{name} (frame nests over 64)" : name, kind, id => Invocation(id, method, list));
    }

    /// <summary>How deep objects and arrays nest in a JSON text (brackets inside strings do not count).</summary>
    public static int Nesting(string json)
    {
        int depth = 0, max = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            }
            else if (c == '"') inString = true;
            else if (c is '{' or '[') max = Math.Max(max, ++depth);
            else if (c is '}' or ']') depth--;
        }
        return max;
    }

    /// <summary>Every method with each argument (and each field of an object argument) replaced by every value,
    /// wrong argument counts, unknown methods, invocations without an id, and protocol garbage.</summary>
    public static List<HubCase> Systematic(HubTargets t)
    {
        var cases = new List<HubCase>();
        var values = Values(t);
        foreach (var shape in Shapes(t))
        {
            var valid = shape.Slots.Select(s => s.Valid).ToArray();
            cases.Add(Call($"{shape.Method} valid", shape.Method, valid));
            for (var i = 0; i < shape.Slots.Length; i++)
            {
                var slot = shape.Slots[i];
                foreach (var (name, json) in values)
                {
                    var args = (string[])valid.Clone();
                    args[i] = json;
                    cases.Add(Call($"{shape.Method} {slot.Name}={name}", shape.Method, args));
                    if (slot.Fields is null) continue;
                    foreach (var field in slot.Fields)
                    {
                        var fieldArgs = (string[])valid.Clone();
                        fieldArgs[i] = ObjectJson(slot.Fields.Select(f => f.Field == field.Field ? (f.Field, json) : (f.Field, f.Valid)));
                        cases.Add(Call($"{shape.Method} {slot.Name}.{field.Field}={name}", shape.Method, fieldArgs));
                    }
                    if (shape.Method == "StartConversation")
                    {
                        var content = (string[])valid.Clone();
                        content[i] = $"{{\"message\":{{\"content\":{json}}}}}";
                        cases.Add(Call($"StartConversation message.content={name}", shape.Method, content));
                        var echo = (string[])valid.Clone();
                        echo[i] = $"{{\"message\":{{\"content\":\"hi\",\"echoId\":{json}}}}}";
                        cases.Add(Call($"StartConversation message.echoId={name}", shape.Method, echo));
                    }
                }
                if (slot.Fields is not null)
                {
                    var extra = (string[])valid.Clone();
                    extra[i] = ObjectJson(slot.Fields.Select(f => (f.Field, f.Valid)).Append(("evil", "{\"$type\":\"System.IO.File\"}")));
                    cases.Add(Call($"{shape.Method} unknown field", shape.Method, extra));
                    var pascal = (string[])valid.Clone();
                    pascal[i] = ObjectJson(slot.Fields.Select(f => (char.ToUpperInvariant(f.Field[0]) + f.Field[1..], f.Valid)));
                    cases.Add(Call($"{shape.Method} PascalCase fields", shape.Method, pascal));
                    var duplicate = (string[])valid.Clone();
                    duplicate[i] = ObjectJson(slot.Fields.Select(f => (f.Field, f.Valid)).Concat(slot.Fields.Select(f => (f.Field, "null"))));
                    cases.Add(Call($"{shape.Method} duplicate fields", shape.Method, duplicate));
                }
            }
            cases.Add(Call($"{shape.Method} no arguments", shape.Method, []));
            cases.Add(Call($"{shape.Method} one argument too many", shape.Method, valid.Append("null")));
            cases.Add(Call($"{shape.Method} two arguments too many", shape.Method, valid.Append("{}").Append("\"x\"")));
            cases.Add(Call($"{shape.Method} all null", shape.Method, valid.Select(_ => "null")));
            if (valid.Length > 1) cases.Add(Call($"{shape.Method} first argument only", shape.Method, valid.Take(1)));
            cases.Add(Call($"{shape.Method} lowercase name", shape.Method.ToLowerInvariant(), valid));
            var nonBlocking = valid.ToList();
            cases.Add(new HubCase($"{shape.Method} valid without invocationId", HubCaseKind.NonBlocking, _ => Invocation(null, shape.Method, nonBlocking)));
            cases.Add(new HubCase($"{shape.Method} null arguments without invocationId", HubCaseKind.NonBlocking,
                _ => Invocation(null, shape.Method, nonBlocking.Select(_ => "null"))));
            cases.Add(new HubCase($"{shape.Method} no arguments without invocationId", HubCaseKind.NonBlocking, _ => Invocation(null, shape.Method, [])));
            cases.Add(new HubCase($"{shape.Method} wrong types without invocationId", HubCaseKind.NonBlocking,
                _ => Invocation(null, shape.Method, nonBlocking.Select(_ => "\"x\""))));
        }

        string[] unknownMethods =
        [
            "DropAllTables", "", " ", "SendMessage ", "OnConnectedAsync", "OnDisconnectedAsync", "Dispose", "ToString", "GetHashCode",
            "GetType", "Equals", "NotNull", "Caller", "get_Caller", "Context", "Clients", "Groups", "MessageCreated", "../SendMessage",
            "Send\u00e9Message", "Send\u0000Message", new string('M', 10_000),
        ];
        foreach (var method in unknownMethods)
        {
            foreach (var args in new string[][] { [], ["null"], ["{}"], ["\"x\"", "1"] })
                cases.Add(Call($"unknown method '{Shorten(method)}' with {args.Length} arguments", method, args));
            cases.Add(new HubCase($"unknown method '{Shorten(method)}' without invocationId", HubCaseKind.NonBlocking, _ => Invocation(null, method, [])));
        }

        cases.AddRange(Garbage());
        return cases;
    }

    /// <summary>Frames that break the hub protocol itself (the server may close the connection on them).</summary>
    public static IEnumerable<HubCase> Garbage()
    {
        (string Name, Func<string, string> Frame)[] frames =
        [
            ("empty record", _ => ""),
            ("not JSON", _ => "hello server"),
            ("lone brace", _ => "{"),
            ("closing brace", _ => "}"),
            ("JSON array", _ => "[]"),
            ("empty object", _ => "{}"),
            ("JSON null", _ => "null"),
            ("JSON number", _ => "1"),
            ("JSON string", _ => "\"SendMessage\""),
            ("type as string", id => $"{{\"type\":\"1\",\"invocationId\":{Str(id)},\"target\":\"Ping\",\"arguments\":[1]}}"),
            ("unknown type", id => $"{{\"type\":99,\"invocationId\":{Str(id)},\"target\":\"Ping\",\"arguments\":[1]}}"),
            ("negative type", id => $"{{\"type\":-1,\"invocationId\":{Str(id)}}}"),
            ("huge type", _ => "{\"type\":99999999999999999999}"),
            ("no target", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"arguments\":[]}}"),
            ("null target", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"target\":null,\"arguments\":[]}}"),
            ("numeric target", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"target\":5,\"arguments\":[]}}"),
            ("no arguments", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"target\":\"Ping\"}}"),
            ("arguments as object", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"target\":\"Ping\",\"arguments\":{{\"clientTime\":1}}}}"),
            ("arguments as string", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"target\":\"Ping\",\"arguments\":\"1\"}}"),
            ("arguments null", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"target\":\"Ping\",\"arguments\":null}}"),
            ("numeric invocationId", _ => "{\"type\":1,\"invocationId\":5,\"target\":\"Ping\",\"arguments\":[1]}"),
            ("object invocationId", _ => "{\"type\":1,\"invocationId\":{},\"target\":\"Ping\",\"arguments\":[1]}"),
            ("empty invocationId", _ => "{\"type\":1,\"invocationId\":\"\",\"target\":\"Ping\",\"arguments\":[1]}"),
            ("arguments before target", id => $"{{\"type\":1,\"arguments\":[{{\"conversationId\":\"x\"}}],\"invocationId\":{Str(id)},\"target\":\"GetMessages\"}}"),
            ("headers as number", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"target\":\"Ping\",\"arguments\":[1],\"headers\":5}}"),
            ("headers with numbers", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"target\":\"Ping\",\"arguments\":[1],\"headers\":{{\"a\":1}}}}"),
            ("streamIds on a plain method", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"target\":\"Ping\",\"arguments\":[1],\"streamIds\":[\"s1\"]}}"),
            ("numeric streamIds", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"target\":\"Ping\",\"arguments\":[1],\"streamIds\":[5]}}"),
            ("stream invocation of a plain method", id => $"{{\"type\":4,\"invocationId\":{Str(id)},\"target\":\"SendMessage\",\"arguments\":[{{}}]}}"),
            ("stream invocation of an unknown method", id => $"{{\"type\":4,\"invocationId\":{Str(id)},\"target\":\"Nope\",\"arguments\":[]}}"),
            ("stream invocation without id", _ => "{\"type\":4,\"target\":\"Ping\",\"arguments\":[1]}"),
            ("stream item for no stream", id => $"{{\"type\":2,\"invocationId\":{Str(id)},\"item\":1}}"),
            ("completion from the client", id => $"{{\"type\":3,\"invocationId\":{Str(id)},\"result\":1}}"),
            ("completion with error from the client", id => $"{{\"type\":3,\"invocationId\":{Str(id)},\"error\":\"boom\"}}"),
            ("cancel of nothing", id => $"{{\"type\":5,\"invocationId\":{Str(id)}}}"),
            ("ping", _ => "{\"type\":6}"),
            ("ack without stateful reconnect", _ => "{\"type\":8,\"sequenceId\":1}"),
            ("sequence without stateful reconnect", _ => "{\"type\":9,\"sequenceId\":1}"),
            ("truncated invocation", id => Invocation(id, "Ping", ["1"])[..20]),
            ("trailing garbage", id => Invocation(id, "Ping", ["1"]) + "xyz"),
            ("two objects in one record", id => Invocation(id, "Ping", ["1"]) + Invocation(id + "b", "Ping", ["1"])),
            ("single-quoted JSON", _ => "{'type':1,'target':'Ping','arguments':[1]}"),
            ("comment in JSON", id => $"{{/* hi */\"type\":1,\"invocationId\":{Str(id)},\"target\":\"Ping\",\"arguments\":[1]}}"),
            ("trailing comma", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"target\":\"Ping\",\"arguments\":[1,],}}"),
            ("NaN argument", id => $"{{\"type\":1,\"invocationId\":{Str(id)},\"target\":\"Ping\",\"arguments\":[NaN]}}"),
            ("unterminated string", _ => "{\"type\":1,\"target\":\"Ping"),
            ("nested 100 in arguments", id => Invocation(id, "SubmitValues", ["1", Deep(100)])),
            ("nested arrays 1000 in arguments", id => Invocation(id, "SendMessage", [DeepArray(1000)])),
            ("nested 100 at the top", _ => Deep(100)),
            ("frame over 64 KB", id => Invocation(id, "SendMessage", [$"{{\"conversationId\":1,\"content\":{Str(new string('z', 70_000))}}}"])),
            ("handshake again", _ => "{\"protocol\":\"json\",\"version\":1}"),
            ("messagepack handshake", _ => "{\"protocol\":\"messagepack\",\"version\":1}"),
            ("close message", _ => "{\"type\":7}"),
        ];
        return frames.Select(f => new HubCase($"garbage: {f.Name}", HubCaseKind.Garbage, f.Frame));
    }

    private static string Shorten(string text) => text.Length <= 24 ? text.Replace("\u0000", "\\0") : text[..12] + $"...({text.Length} chars)";

    // ---- seeded random cases

    private static readonly string[] FieldNames =
    [
        "conversationId", "content", "echoId", "contentType", "contentAttributes", "private", "status", "inboxId", "assignee", "page",
        "before", "afterSeq", "limit", "customAttributes", "message", "name", "email", "phoneNumber", "submittedValues", "agentId",
        "isTyping", "availability", "clientTime", "id", "$type", "__proto__", "",
    ];

    /// <summary><paramref name="count"/> random frames from a fixed seed: random methods (real ones mostly) with random
    /// argument counts and values, some without an invocation id, some mangled into protocol garbage.</summary>
    public static List<HubCase> Random(HubTargets t, int seed, int count)
    {
        var random = new Random(seed);
        var shapes = Shapes(t);
        var values = Values(t);
        var cases = new List<HubCase>(count);
        for (var n = 0; n < count; n++)
        {
            var shape = shapes[random.Next(shapes.Length)];
            var method = random.Next(10) switch
            {
                0 => RandomWord(random),
                1 => shape.Method.ToUpperInvariant(),
                _ => shape.Method,
            };
            var argCount = random.Next(4) switch
            {
                0 => random.Next(5),
                _ => shape.Slots.Length,
            };
            var args = new List<string>();
            for (var i = 0; i < argCount; i++)
            {
                var slot = i < shape.Slots.Length ? shape.Slots[i] : null;
                args.Add(random.Next(4) switch
                {
                    0 when slot?.Fields is { } fields => RandomObject(random, fields, values),
                    1 when slot is not null => slot.Valid,
                    2 => values[random.Next(values.Count)].Json,
                    _ => RandomJson(random, 0),
                });
            }
            var label = $"random #{n} {Shorten(method)}";
            var roll = random.Next(100);
            var sample = Invocation("x", method, args);
            if (Encoding.UTF8.GetByteCount(sample) > 65_000 || Nesting(sample) > 64)
            {
                // Over the hub's 64 KB message limit, or nesting deeper than JSON is read: the server closes the connection.
                cases.Add(new HubCase($"{label} over 64 KB or 64 levels", HubCaseKind.Garbage, id => Invocation(id, method, args)));
            }
            else if (roll < 10)
            {
                cases.Add(new HubCase($"{label} without invocationId", HubCaseKind.NonBlocking, _ => Invocation(null, method, args)));
            }
            else if (roll < 20)
            {
                var mangle = random.Next(6);
                var cut = random.Next(1, 1000);
                var junk = RandomWord(random);
                cases.Add(new HubCase($"{label} mangled ({mangle})", HubCaseKind.Garbage, id =>
                {
                    var frame = Invocation(id, method, args);
                    return mangle switch
                    {
                        0 => frame[..Math.Min(cut, frame.Length - 1)],
                        1 => frame.Insert(Math.Min(cut, frame.Length), junk),
                        2 => frame.Replace("\"arguments\":[", "\"arguments\":{"),
                        3 => frame.Replace("\"type\":1", $"\"type\":{cut}"),
                        4 => frame.Replace("\"target\":", "\"targets\":"),
                        _ => frame.Remove(Math.Min(cut, frame.Length - 1), 1),
                    };
                }));
            }
            else
            {
                cases.Add(new HubCase(label, HubCaseKind.Invocation, id => Invocation(id, method, args)));
            }
        }
        return cases;
    }

    private static string RandomObject(Random random, (string Field, string Valid)[] fields, IReadOnlyList<(string Name, string Json)> values)
    {
        var chosen = new List<(string, string)>();
        foreach (var (field, valid) in fields)
        {
            switch (random.Next(4))
            {
                case 0: break; // left out
                case 1: chosen.Add((field, valid)); break;
                case 2: chosen.Add((field, values[random.Next(values.Count)].Json)); break;
                default: chosen.Add((field, RandomJson(random, 1))); break;
            }
        }
        if (random.Next(4) == 0) chosen.Add((FieldNames[random.Next(FieldNames.Length)], RandomJson(random, 1)));
        return ObjectJson(chosen);
    }

    private static string RandomJson(Random random, int depth)
    {
        var pick = random.Next(depth > 3 ? 7 : 10);
        return pick switch
        {
            0 => "null",
            1 => random.Next(2) == 0 ? "true" : "false",
            2 => random.NextInt64(long.MinValue, long.MaxValue).ToString(),
            3 => random.Next(-3, 1_000).ToString(),
            4 => (random.NextDouble() * Math.Pow(10, random.Next(-5, 30)) * (random.Next(2) == 0 ? -1 : 1)).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            5 => Str(RandomText(random)),
            6 => Str(random.Next(2) == 0 ? "open" : RandomWord(random)),
            7 => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => RandomJson(random, depth + 1))) + "]",
            _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ =>
                $"{Str(FieldNames[random.Next(FieldNames.Length)])}:{RandomJson(random, depth + 1)}")) + "}",
        };
    }

    private static string RandomWord(Random random)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_{}[]\":,\\ ";
        var length = random.Next(1, 20);
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++) builder.Append(letters[random.Next(letters.Length)]);
        return builder.ToString();
    }

    private static string RandomText(Random random)
    {
        var length = random.Next(5) switch { 0 => 0, 1 => random.Next(16_000, 17_000), _ => random.Next(1, 64) };
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(20) switch
            {
                0 => (char)random.Next(0, 32),           // control characters
                1 => (char)random.Next(0x80, 0x2000),    // accents, symbols
                2 => (char)random.Next(0x4E00, 0x9FFF),  // CJK
                _ => (char)random.Next(0x20, 0x7F),
            });
        }
        return builder.ToString();
    }

    // ---- the runner

    public sealed class Result(string label)
    {
        public string Label { get; } = label;
        public int Tried;
        public int Succeeded;
        public int CodedErrors;
        public int GarbageClosures;
        public int Reconnects;
        public readonly Dictionary<string, int> ByCode = [];
        /// <summary>Answers that are neither a success nor "code: detail" with one of API.md's codes.</summary>
        public readonly List<string> Uncoded = [];
        /// <summary>"unavailable" answers: the server failed on input it should have refused.</summary>
        public readonly List<string> Unavailable = [];
        public readonly List<string> Problems = [];
        public Action<string>? Trace { get; init; }
    }

    private const int Window = 16;
    /// <summary>A bound against hanging: an invocation the server never answers is reported, not waited for forever.</summary>
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(30);

    public static async Task<Result> RunAsync(Uri baseUrl, string token, IReadOnlyList<HubCase> cases, string label, Action<string>? trace = null)
    {
        var result = new Result(label) { Trace = trace };
        var socket = await RawHubSocket.ConnectAsync(baseUrl, token);
        var nextId = 0;
        var inFlight = new List<(HubCase Case, string Id, Task<RawHubSocket.Completion?> Answer)>();
        try
        {
            foreach (var hubCase in cases)
            {
                result.Tried++;
                var id = $"{label}-{++nextId}";
                if (hubCase.Kind == HubCaseKind.Invocation)
                {
                    var answer = socket.Expect(id, AnswerWithin);
                    await socket.SendTextAsync(hubCase.Frame(id) + RawHubSocket.RecordSeparator);
                    inFlight.Add((hubCase, id, answer));
                    if (inFlight.Count >= Window) socket = await DrainAsync(socket, inFlight, result, baseUrl, token);
                    continue;
                }

                socket = await DrainAsync(socket, inFlight, result, baseUrl, token);
                var garbageAnswer = socket.Register(id);
                await socket.SendTextAsync(hubCase.Frame(id) + RawHubSocket.RecordSeparator);
                var probeId = $"{label}-{++nextId}";
                var probe = await ExpectOrProblem(socket, probeId, Invocation(probeId, "Ping", ["1"]), hubCase, result);
                if (garbageAnswer.IsCompletedSuccessfully) Judge(hubCase, garbageAnswer.Result, result);
                if (probe is null)
                {
                    if (hubCase.Kind == HubCaseKind.NonBlocking)
                        result.Problems.Add($"the server closed the connection on a well-formed invocation without id: {hubCase.Name} ({await socket.Closed})");
                    else result.GarbageClosures++;
                    socket = await ReconnectAsync(socket, baseUrl, token, result);
                }
                else if (probe.Error is not null)
                {
                    result.Problems.Add($"Ping after '{hubCase.Name}' failed: {probe.Error}");
                }
            }
            socket = await DrainAsync(socket, inFlight, result, baseUrl, token);
        }
        finally
        {
            await socket.DisposeAsync();
        }
        return result;
    }

    private static async Task<RawHubSocket.Completion?> ExpectOrProblem(RawHubSocket socket, string id, string frame, HubCase after, Result result)
    {
        try
        {
            var answer = socket.Expect(id, AnswerWithin);
            await socket.SendTextAsync(frame + RawHubSocket.RecordSeparator);
            return await answer;
        }
        catch (TimeoutException)
        {
            result.Problems.Add($"no answer to a Ping sent after '{after.Name}'");
            return null;
        }
    }

    private static async Task<RawHubSocket> DrainAsync(RawHubSocket socket, List<(HubCase Case, string Id, Task<RawHubSocket.Completion?> Answer)> inFlight,
        Result result, Uri baseUrl, string token)
    {
        var cutOff = new List<HubCase>();
        foreach (var (hubCase, _, answer) in inFlight)
        {
            RawHubSocket.Completion? completion;
            try
            {
                completion = await answer;
            }
            catch (TimeoutException)
            {
                result.Problems.Add($"no answer within {AnswerWithin.TotalSeconds} s to '{hubCase.Name}'");
                continue;
            }
            if (completion is null) cutOff.Add(hubCase);
            else Judge(hubCase, completion, result);
        }
        inFlight.Clear();
        if (cutOff.Count == 0) return socket;

        // The server closed the connection while invocations of this window were in flight: replay them one at a
        // time on a new connection to find the one that closes it.
        var reason = await socket.Closed;
        socket = await ReconnectAsync(socket, baseUrl, token, result);
        var culprits = 0;
        foreach (var hubCase in cutOff)
        {
            var id = $"replay-{Guid.NewGuid():N}";
            RawHubSocket.Completion? completion;
            try
            {
                completion = await socket.InvokeAsync(id, hubCase.Frame(id));
            }
            catch (TimeoutException)
            {
                result.Problems.Add($"no answer within {AnswerWithin.TotalSeconds} s to '{hubCase.Name}' (replayed)");
                continue;
            }
            if (completion is not null)
            {
                Judge(hubCase, completion, result);
                continue;
            }
            culprits++;
            var frame = hubCase.Frame(id);
            result.Problems.Add($"the server closed the connection on a well-formed invocation: {hubCase.Name} ({await socket.Closed}): {frame[..Math.Min(300, frame.Length)]}");
            socket = await ReconnectAsync(socket, baseUrl, token, result);
        }
        if (culprits == 0) result.Problems.Add($"the server closed the connection ({reason}) while '{cutOff[0].Name}' and {cutOff.Count - 1} more were in flight, and none of them closes it alone");
        return socket;
    }

    private static void Judge(HubCase hubCase, RawHubSocket.Completion completion, Result result)
    {
        result.Trace?.Invoke($"{hubCase.Name} -> {(completion.Error ?? "ok")}");
        if (completion.Error is null)
        {
            result.Succeeded++;
            return;
        }
        var code = Codes.FirstOrDefault(c => completion.Error.StartsWith(c + ": ", StringComparison.Ordinal));
        if (code is null)
        {
            result.Uncoded.Add($"{hubCase.Name}: {completion.Error}");
            return;
        }
        result.CodedErrors++;
        result.ByCode[code] = result.ByCode.GetValueOrDefault(code) + 1;
        if (code == ErrorCodes.Unavailable) result.Unavailable.Add($"{hubCase.Name}: {completion.Error}");
    }

    private static async Task<RawHubSocket> ReconnectAsync(RawHubSocket socket, Uri baseUrl, string token, Result result)
    {
        await socket.DisposeAsync();
        result.Reconnects++;
        return await RawHubSocket.ConnectAsync(baseUrl, token);
    }
}
