using System.Buffers;
using System.Text;
using ChatHub.Server.Channels.Cable;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ChatHub.Server.Tests.Cable;

/// <summary>A /cable broadcast's message is built only when a socket is sent it, and once (issue 22: every committed
/// message built its two Chatwoot payloads whether or not any /cable client listened).</summary>
public sealed class CableDeferredMessageTests
{
    [Fact]
    public async Task A_broadcast_to_a_stream_nobody_subscribes_to_never_builds_its_message()
    {
        var builds = 0;
        var lifetime = new DefaultHubLifetimeManager<CableHub>(NullLogger<DefaultHubLifetimeManager<CableHub>>.Instance);
        var message = new CableWireProtocol.DeferredMessage(() => { builds++; return "{}"; });

        await lifetime.SendGroupAsync("nobody-listens", CableWireProtocol.Target, ["nobody-listens", "", message]);

        Assert.Equal(0, builds);
    }

    [Fact]
    public void A_message_is_built_once_however_many_sockets_it_is_written_to_and_null_writes_nothing()
    {
        var builds = 0;
        var protocol = new CableWireProtocol();
        var invocation = new InvocationMessage(CableWireProtocol.Target,
            ["stream-a", "7", new CableWireProtocol.DeferredMessage(() => { builds++; return """{"event":"message.created"}"""; })]);

        var first = Write(protocol, invocation);
        var second = Write(protocol, invocation);

        Assert.Equal(1, builds);
        Assert.Equal("stream-a\u001f7\u001f{\"event\":\"message.created\"}\u001e", first);
        Assert.Equal(first, second);
        Assert.Equal("", Write(protocol, new InvocationMessage(CableWireProtocol.Target, ["stream-a", "", new CableWireProtocol.DeferredMessage(() => null)])));
    }

    private static string Write(CableWireProtocol protocol, HubMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        protocol.WriteMessage(message, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
