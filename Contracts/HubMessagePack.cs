using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace ChatHub.Contracts;

/// <summary>The hub's second protocol: SignalR's MessagePack protocol ("messagepack"), beside its JSON protocol
/// ("json"). The DTOs travel as SignalR's MessagePack protocol writes .NET objects by default (maps keyed by the
/// property names, PascalCase), plus <see cref="JsonElementFormatter"/> for their JsonElement fields. The server and
/// ChatHub.Client both pass their protocol options through <see cref="WithJsonElements"/>.</summary>
public static class HubMessagePack
{
    /// <summary>The protocol's name in the SignalR handshake.</summary>
    public const string ProtocolName = "messagepack";

    /// <summary><paramref name="options"/> (SignalR's defaults, or an app's own) with JsonElement and JsonElement?
    /// written by <see cref="JsonElementFormatter"/>, and lists of compiler-made types written as arrays; everything
    /// else as before, security settings included.</summary>
    public static MessagePackSerializerOptions WithJsonElements(MessagePackSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Resolver is ChatHubResolver) return options;
        return options.WithResolver(new ChatHubResolver(options.Resolver));
    }

    /// <summary>Our formatter for JsonElement, the given resolver for every other type (a Nullable&lt;JsonElement&gt;
    /// comes back here for its value through the options' resolver).</summary>
    /// <remarks>SignalR writes a call's answer by its runtime type, and a list made by a collection expression
    /// (<c>IReadOnlyList&lt;T&gt; x = [a, b]</c>) is of a type the compiler makes, not public, which MessagePack's
    /// contractless resolver cannot write (JSON writes any IEnumerable). Such a list is written as an array, as its
    /// declared IReadOnlyList&lt;T&gt; would be; only reading it back needs a public type, which a binder always gives.</remarks>
    private sealed class ChatHubResolver(IFormatterResolver inner) : IFormatterResolver
    {
        private readonly IFormatterResolver _ours = CompositeResolver.Create([JsonElementFormatter.Instance], [inner]);

        public IMessagePackFormatter<T>? GetFormatter<T>() => NonPublicList<T>.Formatter ?? _ours.GetFormatter<T>();
    }

    private static class NonPublicList<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = Create();

        private static IMessagePackFormatter<T>? Create()
        {
            var type = typeof(T);
            if (type.IsPublic || type.IsNestedPublic || type.IsInterface || type.IsArray) return null;
            var list = type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyList<>));
            if (list is null) return null;
            var formatter = typeof(AsReadOnlyList<,>).MakeGenericType(type, list.GetGenericArguments()[0]);
            return (IMessagePackFormatter<T>)Activator.CreateInstance(formatter)!;
        }
    }

    private sealed class AsReadOnlyList<TList, TItem> : IMessagePackFormatter<TList> where TList : IReadOnlyList<TItem>
    {
        public void Serialize(ref MessagePackWriter writer, TList value, MessagePackSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNil();
                return;
            }
            options.Resolver.GetFormatterWithVerify<IReadOnlyList<TItem>>().Serialize(ref writer, value, options);
        }

        public TList Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
            throw new MessagePackSerializationException($"{typeof(TList)} is not a type to read into; read an IReadOnlyList<{typeof(TItem).Name}>.");
    }
}
