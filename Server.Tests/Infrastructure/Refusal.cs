using ChatHub.Contracts;
using ChatHub.Server.Common;
using Xunit;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>Assertions on a use case's refusals: the <see cref="ChatException"/> code every transport maps (REST to its
/// status, the hub to "code: detail"), and for validation the field the message names.</summary>
public static class Refusal
{
    /// <summary>The call fails with <paramref name="code"/> and a detail that says why.</summary>
    public static async Task<ChatException> Of(string code, Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<ChatException>(call);
        Assert.True(refused.Code == code, $"expected {code}, got {refused.Code}: {refused.Detail}");
        Assert.False(string.IsNullOrWhiteSpace(refused.Detail));
        return refused;
    }

    /// <summary>The call fails validation on <paramref name="field"/> (named as the client sent it).</summary>
    public static async Task<ChatException> Invalid(string field, Func<Task> call)
    {
        var refused = await Of(ErrorCodes.Validation, call);
        Assert.True(refused.Errors?.ContainsKey(field) == true,
            $"expected an error on '{field}', got {string.Join(", ", refused.Errors?.Keys ?? [])}: {refused.Detail}");
        Assert.NotEmpty(refused.Errors![field]);
        return refused;
    }

    public static Task<ChatException> NotFound(Func<Task> call) => Of(ErrorCodes.NotFound, call);
    public static Task<ChatException> Forbidden(Func<Task> call) => Of(ErrorCodes.Forbidden, call);
    public static Task<ChatException> Unauthorized(Func<Task> call) => Of(ErrorCodes.Unauthorized, call);
}
