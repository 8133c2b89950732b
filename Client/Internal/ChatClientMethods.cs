using System.Reflection;
using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>The push methods of <see cref="IChatClient"/>, found by reflection once, so a new method in the
/// contract is registered and dispatched without touching the client.</summary>
internal static class ChatClientMethods
{
    public static readonly IReadOnlyList<ChatClientMethod> All =
        typeof(IChatClient).GetMethods().Select(m => new ChatClientMethod(m)).ToArray();
}

internal sealed class ChatClientMethod
{
    private readonly MethodInvoker _invoker;

    public ChatClientMethod(MethodInfo method)
    {
        Name = method.Name;
        ParameterTypes = method.GetParameters().Select(p => p.ParameterType).ToArray();
        _invoker = MethodInvoker.Create(method);
    }

    public string Name { get; }

    public Type[] ParameterTypes { get; }

    public Task Invoke(IChatClient target, object?[] arguments) =>
        (Task?)_invoker.Invoke(target, arguments.AsSpan()) ?? Task.CompletedTask;
}
