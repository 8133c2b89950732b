using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ChatHub.Client;

/// <summary>Invocations sent and not yet answered, by invocation id. The binder reads the result type from
/// here while a completion is being parsed.</summary>
internal sealed class PendingInvocations
{
    private readonly ConcurrentDictionary<string, PendingInvocation> _byId = new(StringComparer.Ordinal);

    public PendingInvocation<T> Add<T>(string invocationId, Type resultType)
    {
        var pending = new PendingInvocation<T>(resultType);
        if (!_byId.TryAdd(invocationId, pending))
        {
            throw new InvalidOperationException($"Invocation id '{invocationId}' is already in use.");
        }
        return pending;
    }

    public bool TryGetResultType(string invocationId, [NotNullWhen(true)] out Type? resultType)
    {
        resultType = _byId.TryGetValue(invocationId, out var pending) ? pending.ResultType : null;
        return resultType is not null;
    }

    /// <summary>Completes the invocation the message answers; an answer to a cancelled call is dropped.</summary>
    public void Complete(CompletionMessage message)
    {
        if (message.InvocationId is not null && _byId.TryRemove(message.InvocationId, out var pending))
        {
            pending.Complete(message);
        }
    }

    public void Cancel(string invocationId, CancellationToken cancellationToken)
    {
        if (_byId.TryRemove(invocationId, out var pending))
        {
            pending.Cancel(cancellationToken);
        }
    }

    public void Remove(string invocationId) => _byId.TryRemove(invocationId, out _);

    public void FailAll(Func<Exception> createError)
    {
        foreach (var id in _byId.Keys)
        {
            if (_byId.TryRemove(id, out var pending))
            {
                pending.Fail(createError());
            }
        }
    }
}

internal abstract class PendingInvocation(Type resultType)
{
    public Type ResultType { get; } = resultType;

    public abstract void Complete(CompletionMessage message);

    public abstract void Fail(Exception error);

    public abstract void Cancel(CancellationToken cancellationToken);
}

internal sealed class PendingInvocation<T>(Type resultType) : PendingInvocation(resultType)
{
    // Continuations run off the receive loop so a slow caller cannot stall the socket.
    private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _result.Task;

    public override void Complete(CompletionMessage message)
    {
        if (message.Error is not null)
        {
            _result.TrySetException(ChatHubException.FromServerError(message.Error));
        }
        else if (message.Result is null)
        {
            _result.TrySetResult(default!);
        }
        else if (message.Result is T result)
        {
            _result.TrySetResult(result);
        }
        else
        {
            _result.TrySetException(new InvalidCastException(
                $"The server's result is a {message.Result.GetType()}, not a {typeof(T)}."));
        }
    }

    public override void Fail(Exception error) => _result.TrySetException(error);

    public override void Cancel(CancellationToken cancellationToken) => _result.TrySetCanceled(cancellationToken);
}
