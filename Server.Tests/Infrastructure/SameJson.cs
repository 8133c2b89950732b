using System.Text.Json;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>Compares two values by what they are in JSON (records holding lists and JsonElements do not compare by
/// value): numbers by value (1.0 is 1), objects whatever their property order.</summary>
public static class SameJson
{
    public static void Equal(object? expected, object? actual)
    {
        var (e, a) = (JsonSerializer.SerializeToElement(expected), JsonSerializer.SerializeToElement(actual));
        if (!JsonElement.DeepEquals(e, a)) Xunit.Assert.Fail($"not the same JSON:\nexpected {e.GetRawText()}\nactual   {a.GetRawText()}");
    }
}
