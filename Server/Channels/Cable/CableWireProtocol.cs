using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ChatHub.Server.Channels.Cable;

/// <summary>How a /cable broadcast travels from <see cref="CableSink"/> to the sockets subscribed to its stream, on
/// any node: an invocation of <see cref="Target"/> with three string arguments (the stream, the id of an agent whose
/// subscriptions must not get it or "", and the ActionCable message <c>{"event":...,"data":...}</c> as JSON), which
/// this protocol writes as <c>stream 0x1F agent 0x1F message 0x1E</c> (JSON text never holds a raw 0x1F or 0x1E). The backplane carries those bytes as they are (it serializes a group send once
/// per protocol of the hub); the /cable transport reads them from its connection's pipe and wraps the message in
/// one frame per subscription identifier. Nothing is ever parsed with it: /cable commands do not come through
/// SignalR. The message may also be a <see cref="DeferredMessage"/>, built when first written (see there).</summary>
public sealed class CableWireProtocol : IHubProtocol
{
    public const string ProtocolName = "chathub-cable";
    public const string Target = "cable";
    public const byte StreamEnd = 0x1F;
    public const byte RecordEnd = 0x1E;

    public string Name => ProtocolName;
    public int Version => 1;
    public TransferFormat TransferFormat => TransferFormat.Text;

    public bool IsVersionSupported(int version) => version == Version;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        message = null;
        return false;
    }

    /// <summary>Writes a broadcast; any other message (SignalR's pings, close) has no meaning here and writes nothing.</summary>
    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        if (message is not InvocationMessage { Target: Target, Arguments: [string stream, string exceptAgent, var payload] }) return;
        if ((payload as string ?? (payload as DeferredMessage)?.Text) is not { } cableMessage) return;
        Encoding.UTF8.GetBytes(stream, output);
        output.Write([StreamEnd]);
        Encoding.UTF8.GetBytes(exceptAgent, output);
        output.Write([StreamEnd]);
        Encoding.UTF8.GetBytes(cableMessage, output);
        output.Write([RecordEnd]);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteMessage(message, buffer);
        return buffer.WrittenMemory;
    }

    /// <summary>The second argument of a broadcast: the agent left out, or "".</summary>
    public static string Except(long? agentId) => agentId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";

    /// <summary>Splits the next complete record off <paramref name="buffer"/>.</summary>
    public static bool TryReadRecord(ref ReadOnlySequence<byte> buffer, out string stream, out long? exceptAgentId,
        out ReadOnlySequence<byte> cableMessage)
    {
        stream = "";
        exceptAgentId = null;
        cableMessage = default;
        if (buffer.PositionOf(RecordEnd) is not { } end) return false;
        var record = buffer.Slice(0, end);
        buffer = buffer.Slice(buffer.GetPosition(1, end));
        if (record.PositionOf(StreamEnd) is not { } split) return true; // not ours: skipped
        stream = Encoding.UTF8.GetString(record.Slice(0, split));
        var rest = record.Slice(record.GetPosition(1, split));
        if (rest.PositionOf(StreamEnd) is not { } exceptEnd)
        {
            stream = ""; // not ours: skipped
            return true;
        }
        if (long.TryParse(Encoding.UTF8.GetString(rest.Slice(0, exceptEnd)), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var agentId))
            exceptAgentId = agentId;
        cableMessage = rest.Slice(rest.GetPosition(1, exceptEnd));
        return true;
    }

    /// <summary>A broadcast's ActionCable message, built the first time the broadcast is written: on a single node a
    /// stream nobody subscribes to (the common case: most pages have no /cable client) never builds it, where every
    /// committed message used to build two (issue 22). Behind Redis the backplane writes it at once, for every node.
    /// Built once however many sockets get it; null writes nothing.</summary>
    public sealed class DeferredMessage(Func<string?> build)
    {
        private readonly Lazy<string?> _text = new(build, LazyThreadSafetyMode.ExecutionAndPublication);

        public string? Text => _text.Value;
    }
}
