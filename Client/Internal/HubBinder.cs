using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Client;

/// <summary>Tells the protocol which .NET types to parse: a completion's result by the pending invocation's
/// registered type, a push's arguments by its handlers (or by <c>IChatClient</c> when none is registered).
/// Throwing makes the protocol skip the value (unknown invocation id) or yield an
/// InvocationBindingFailureMessage (unknown target), which the connection ignores.</summary>
internal sealed class HubBinder(PendingInvocations pending, HandlerRegistry handlers) : IInvocationBinder
{
    public Type GetReturnType(string invocationId) =>
        pending.TryGetResultType(invocationId, out var resultType)
            ? resultType
            : throw new KeyNotFoundException($"No pending invocation '{invocationId}'.");

    public IReadOnlyList<Type> GetParameterTypes(string methodName)
    {
        if (handlers.TryGetParameterTypes(methodName, out var parameterTypes))
        {
            return parameterTypes;
        }
        if (ChatClientMethods.TryGet(methodName, out var method))
        {
            return method!.ParameterTypes;
        }
        throw new KeyNotFoundException($"No handler for '{methodName}'.");
    }

    public Type GetStreamItemType(string streamId) =>
        throw new NotSupportedException("Streaming is not supported by this client.");
}
