using ChatHub.Server.Common;
using ChatHub.Server.Rest;
using Xunit;

namespace ChatHub.Server.Tests.Rest;

/// <summary>Form fields nested as Rack's normalize_params nests them (the cases of Rack's own specs that Chatwoot's
/// clients send), and the bounds on what a form may build.</summary>
public sealed class RailsParamsTests
{
    private static string Json(params (string Key, string Value)[] fields) =>
        RailsParams.ToJson(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))).ToJsonString();

    [Theory]
    [InlineData("content", "hi", """{"content":"hi"}""")]
    [InlineData("message[content]", "hi", """{"message":{"content":"hi"}}""")]
    [InlineData("a[b][c]", "1", """{"a":{"b":{"c":"1"}}}""")]
    [InlineData("labels[]", "a", """{"labels":["a"]}""")]
    [InlineData("a[b", "1", """{"a[b":"1"}""")] // brackets that do not close: one plain name
    [InlineData("a[b]c", "1", """{"a":{"b":"1"}}""")] // what follows the last bracket is ignored
    public void One_field_nests_as_rails_nests_it(string key, string value, string expected) =>
        Assert.Equal(expected, Json((key, value)));

    [Fact]
    public void Repeated_fields_make_arrays_arrays_of_objects_and_a_plain_key_keeps_its_last_value()
    {
        Assert.Equal("""{"labels":["a","b"]}""", Json(("labels[]", "a"), ("labels[]", "b")));
        Assert.Equal("""{"items":[{"name":"x","price":"1"},{"name":"y"}]}""",
            Json(("items[][name]", "x"), ("items[][price]", "1"), ("items[][name]", "y")));
        Assert.Equal("""{"status":"resolved"}""", Json(("status", "open"), ("status", "resolved")));
        Assert.Equal("""{"a":"1"}""", Json(("", "ignored"), ("a", "1")));
    }

    [Fact]
    public void Conflicts_depth_and_field_count_are_bounded()
    {
        Assert.Equal("a", Assert.Single(Assert.Throws<ChatException>(() => Json(("a", "1"), ("a[b]", "2"))).Errors!).Key);
        Assert.Equal("a", Assert.Single(Assert.Throws<ChatException>(() => Json(("a[]", "1"), ("a[b]", "2"))).Errors!).Key);
        Assert.Equal("""{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":"1"}}}}}}}}}""", Json(("a[b][c][d][e][f][g][h][i]", "1")));
        Assert.Throws<ChatException>(() => Json(("a[b][c][d][e][f][g][h][i][j]", "1")));
        Assert.Throws<ChatException>(() => Json(Enumerable.Range(0, RailsParams.MaxFields + 1).Select(i => ($"f{i}", "1")).ToArray()));
    }
}
