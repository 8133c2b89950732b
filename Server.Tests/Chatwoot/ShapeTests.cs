using System.Text.Json;
using Xunit;
using Xunit.Sdk;

namespace ChatHub.Server.Tests.Chatwoot;

/// <summary>The golden tests' check itself: a key too many, a key missing or a value of another kind fails it.</summary>
public sealed class ShapeTests
{
    private static readonly Shape Sample = new("sample",
    [
        new ShapeField("id", "test", [JsonValueKind.Number]),
        new ShapeField("name", "test", [JsonValueKind.String, JsonValueKind.Null]),
        new ShapeField("echo_id", "test", [JsonValueKind.String], Optional: true),
    ]);

    [Theory]
    [InlineData("""{"id":1,"name":"a"}""", true)]
    [InlineData("""{"id":1,"name":null,"echo_id":"e"}""", true)]
    [InlineData("""{"id":1,"name":"a","extra":0}""", false)]
    [InlineData("""{"name":"a"}""", false)]
    [InlineData("""{"id":"1","name":"a"}""", false)]
    [InlineData("""{"id":1,"name":"a","echo_id":null}""", false)]
    [InlineData("""[]""", false)]
    public void Holds_keys_and_kinds_both_ways(string json, bool matches)
    {
        var element = JsonDocument.Parse(json).RootElement;
        if (matches) Sample.Assert(element);
        else Assert.ThrowsAny<XunitException>(() => Sample.Assert(element));
    }
}
