using System.Text.Json.Nodes;
using ChatHub.Server.Common;

namespace ChatHub.Server.Rest;

/// <summary>Form fields as Rails (Rack's <c>normalize_params</c>) nests them: <c>message[content]=hi</c> is
/// <c>{"message":{"content":"hi"}}</c>, <c>labels[]=a&amp;labels[]=b</c> is <c>{"labels":["a","b"]}</c>,
/// <c>items[][name]=x</c> an array of objects; a repeated plain key keeps its last value. Values stay strings (the JSON
/// reader takes numbers and booleans from strings, <see cref="LenientJson"/>). Bounded in fields and depth: a key
/// such as <c>a[a][a]...</c> cannot build a deep tree.</summary>
public static class RailsParams
{
    /// <summary>Fields a body may carry (Rack allows more; no Chatwoot body needs a tenth of this).</summary>
    public const int MaxFields = 256;
    /// <summary>How deep a bracketed key may nest.</summary>
    public const int MaxDepth = 8;

    public static JsonObject ToJson(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var root = new JsonObject();
        var count = 0;
        foreach (var (key, value) in fields)
        {
            if (++count > MaxFields) throw ChatException.Invalid("body", $"a form body takes at most {MaxFields} fields");
            if (key.Length == 0) continue; // "=x" names nothing (Rack drops it too)
            var path = Split(key);
            if (path.Count > MaxDepth + 1) throw ChatException.Invalid(path[0], $"{path[0]} nests deeper than {MaxDepth} levels");
            Insert(root, path, 1, value, key);
        }
        return root;
    }

    /// <summary><c>a[b][]</c> as <c>["a", "b", ""]</c>; a key whose brackets do not close is one plain name.</summary>
    private static List<string> Split(string key)
    {
        var open = key.IndexOf('[');
        if (open <= 0) return [key];
        var path = new List<string> { key[..open] };
        var i = open;
        while (i < key.Length && key[i] == '[')
        {
            var close = key.IndexOf(']', i);
            if (close < 0) return [key];
            path.Add(key[(i + 1)..close]);
            i = close + 1;
        }
        // Rack ignores what follows the last bracket ("a[b]c" is a[b]).
        return path;
    }

    private static void Insert(JsonObject parent, List<string> path, int next, string value, string key)
    {
        var name = path[next - 1];
        if (next == path.Count)
        {
            parent[name] = value;
            return;
        }
        if (path[next] == "")
        {
            var array = parent[name] as JsonArray ?? Replace(parent, name, new JsonArray(), key);
            if (next + 1 == path.Count)
            {
                array.Add(value);
                return;
            }
            // items[][name]=a&items[][price]=1&items[][name]=b: a field the last object has already starts a new object.
            var child = path[next + 1];
            if (array.Count == 0 || array[^1] is not JsonObject last || (next + 2 == path.Count && last.ContainsKey(child)))
            {
                last = new JsonObject();
                array.Add(last);
            }
            Insert(last, path, next + 2, value, key);
            return;
        }
        var obj = parent[name] as JsonObject ?? Replace(parent, name, new JsonObject(), key);
        Insert(obj, path, next + 1, value, key);
    }

    /// <summary>A key that names a list or an object where a plain value already is (or the reverse): Rack refuses it.</summary>
    private static T Replace<T>(JsonObject parent, string name, T node, string key) where T : JsonNode
    {
        if (parent[name] is not null) throw ChatException.Invalid(name, $"{key} conflicts with another field of the body");
        parent[name] = node;
        return node;
    }
}
