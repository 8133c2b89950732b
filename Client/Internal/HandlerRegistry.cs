using System.Diagnostics.CodeAnalysis;

namespace ChatHub.Client;

/// <summary>The push handlers an app registered, by hub method name. It belongs to the connection, not to a
/// socket, so handlers survive a transport being replaced.</summary>
internal sealed class HandlerRegistry
{
    private readonly object _lock = new();
    private readonly Dictionary<string, MethodHandlers> _byMethod = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>All handlers of one method must agree on parameter types: the arguments are parsed once.</summary>
    public IDisposable Add(string method, Type[] parameterTypes, Func<object?[], Task> invoke)
    {
        var handler = new PushHandler(invoke);
        lock (_lock)
        {
            if (!_byMethod.TryGetValue(method, out var existing))
            {
                _byMethod[method] = new MethodHandlers(parameterTypes, [handler]);
            }
            else if (!existing.ParameterTypes.SequenceEqual(parameterTypes))
            {
                throw new InvalidOperationException(
                    $"'{method}' already has handlers taking ({string.Join(", ", existing.ParameterTypes.Select(t => t.Name))}).");
            }
            else
            {
                _byMethod[method] = existing with { Handlers = [.. existing.Handlers, handler] };
            }
        }
        return new Registration(this, method, handler);
    }

    public bool TryGetParameterTypes(string method, [NotNullWhen(true)] out Type[]? parameterTypes)
    {
        lock (_lock)
        {
            parameterTypes = _byMethod.TryGetValue(method, out var handlers) ? handlers.ParameterTypes : null;
        }
        return parameterTypes is not null;
    }

    /// <summary>A snapshot: registrations may change while the returned handlers run.</summary>
    public PushHandler[] GetHandlers(string method)
    {
        lock (_lock)
        {
            return _byMethod.TryGetValue(method, out var handlers) ? handlers.Handlers : [];
        }
    }

    private void Remove(string method, PushHandler handler)
    {
        lock (_lock)
        {
            if (!_byMethod.TryGetValue(method, out var existing))
            {
                return;
            }
            var remaining = existing.Handlers.Where(h => h != handler).ToArray();
            if (remaining.Length == 0)
            {
                _byMethod.Remove(method);
            }
            else
            {
                _byMethod[method] = existing with { Handlers = remaining };
            }
        }
    }

    private sealed record MethodHandlers(Type[] ParameterTypes, PushHandler[] Handlers);

    private sealed class Registration(HandlerRegistry registry, string method, PushHandler handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                registry.Remove(method, handler);
            }
        }
    }
}

/// <summary>A reference type so a registration removes exactly the handler it added.</summary>
internal sealed class PushHandler(Func<object?[], Task> invoke)
{
    public Task InvokeAsync(object?[] arguments) => invoke(arguments);
}
