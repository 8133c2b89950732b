using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ChatHub.Server.Realtime.Redis;

/// <summary>Serialises a push once per hub protocol the server speaks (from the resolver, so our
/// CodedErrorHubProtocol stands in for "json"): the same bytes go to local connections and over Redis.</summary>
public sealed class PerProtocolSerializer(IHubProtocolResolver resolver)
{
    public IReadOnlyList<SerializedMessage> Serialize(string methodName, object?[] args)
    {
        var invocation = new InvocationMessage(methodName, args);
        var protocols = resolver.AllProtocols;
        var serialized = new SerializedMessage[protocols.Count];
        for (var i = 0; i < protocols.Count; i++)
            serialized[i] = new SerializedMessage(protocols[i].Name, protocols[i].GetMessageBytes(invocation));
        return serialized;
    }
}
