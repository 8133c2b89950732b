using ChatHub.Server.Realtime.Redis;
using Microsoft.AspNetCore.SignalR;
using Xunit;

namespace ChatHub.Server.Tests.ScaleOut;

/// <summary>The envelope nodes exchange over Redis, and the acknowledgement count of a group command.</summary>
public sealed class BackplaneProtocolTests
{
    [Fact]
    public void A_push_travels_with_its_bytes_per_protocol_and_its_exclusions()
    {
        var push = new InvocationEnvelope("node-1",
            [new SerializedMessage("json", "{\"type\":1}\u001e"u8.ToArray()), new SerializedMessage("other", new byte[] { 1, 2, 3 })],
            ["conn-a", "conn-b"]);

        var read = Assert.IsType<InvocationEnvelope>(BackplaneProtocol.Read(BackplaneProtocol.Write(push)));

        Assert.Equal("node-1", read.Sender);
        Assert.Equal(["conn-a", "conn-b"], read.Excluded);
        Assert.Equal(["json", "other"], read.PerProtocol.Select(p => p.ProtocolName));
        Assert.Equal(push.PerProtocol.Select(p => p.Serialized.ToArray()), read.PerProtocol.Select(p => p.Serialized.ToArray()));
    }

    [Fact]
    public void Group_commands_and_acks_round_trip()
    {
        var command = new GroupCommand("node-2", 42, GroupAction.AddUser, "inbox:7", "agent:3");
        Assert.Equal(command, BackplaneProtocol.Read(BackplaneProtocol.Write(command)));
        var ack = new Ack("node-3", 42);
        Assert.Equal(ack, BackplaneProtocol.Read(BackplaneProtocol.Write(ack)));
    }

    [Fact]
    public void What_is_not_an_envelope_is_refused_not_misread()
    {
        Assert.Throws<InvalidDataException>(() => BackplaneProtocol.Read([9, 1]));
        Assert.Throws<InvalidDataException>(() => BackplaneProtocol.Read(BackplaneProtocol.Write(new Ack("n", 1))[..^2]));
    }

    [Fact]
    public async Task A_command_completes_when_every_receiver_acknowledged_even_if_an_ack_beats_the_receiver_count()
    {
        var acks = new AckTracker();
        var (id, done) = acks.Create();
        acks.Acknowledge(id); // the first node answered before Redis told us how many nodes received it
        Assert.False(done.IsCompleted);
        acks.Expect(id, 2);
        Assert.False(done.IsCompleted);
        acks.Acknowledge(id);
        await done.WaitAsync(TimeSpan.FromSeconds(5));

        var (none, noReceivers) = acks.Create();
        acks.Expect(none, 0); // nobody has the connection: nothing to wait for
        await noReceivers.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
