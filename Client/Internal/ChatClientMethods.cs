using System.Reflection;
using ChatHub.Contracts;

namespace ChatHub.Client;

/// <summary>The push methods of <see cref="IChatClient"/>, found by reflection once, so a new method in the
/// contract is bound and dispatched without touching the client.</summary>
internal static class ChatClientMethods
{
    public static readonly IReadOnlyList<ChatClientMethod> All =
        typeof(IChatClient).GetMethods().Select(m => new ChatClientMethod(m)).ToArray();

    private static readonly Dictionary<string, ChatClientMethod> s_byName =
        All.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(string name, out ChatClientMethod? method) => s_byName.TryGetValue(name, out method);
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
