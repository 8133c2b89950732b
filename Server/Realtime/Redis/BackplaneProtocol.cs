using System.Text;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Realtime.Redis;

/// <summary>The binary envelope of <see cref="BackplaneMessage"/>s on Redis: a version byte, a kind byte, the
/// sender, then the kind's fields. Strings are length-prefixed UTF-8; a push carries one byte block per hub
/// protocol, ready to be written to a connection as is.</summary>
public static class BackplaneProtocol
{
    private const byte Version = 1;
    private enum Kind : byte { Invocation = 1, GroupCommand = 2, Ack = 3 }

    public static byte[] Write(BackplaneMessage message)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            switch (message)
            {
                case InvocationEnvelope invocation:
                    w.Write((byte)Kind.Invocation);
                    w.Write(invocation.Sender);
                    w.Write7BitEncodedInt(invocation.Excluded.Count);
                    foreach (var id in invocation.Excluded) w.Write(id);
                    w.Write7BitEncodedInt(invocation.PerProtocol.Count);
                    foreach (var serialized in invocation.PerProtocol)
                    {
                        w.Write(serialized.ProtocolName);
                        w.Write7BitEncodedInt(serialized.Serialized.Length);
                        w.Write(serialized.Serialized.Span);
                    }
                    break;
                case GroupCommand command:
                    w.Write((byte)Kind.GroupCommand);
                    w.Write(command.Sender);
                    w.Write(command.Id);
                    w.Write((byte)command.Action);
                    w.Write(command.GroupName);
                    w.Write(command.Target);
                    break;
                case Ack ack:
                    w.Write((byte)Kind.Ack);
                    w.Write(ack.Sender);
                    w.Write(ack.Id);
                    break;
                default:
                    throw new ArgumentException($"unknown backplane message {message.GetType().Name}", nameof(message));
            }
        }
        return buffer.ToArray();
    }

    /// <exception cref="InvalidDataException">Not an envelope of this version.</exception>
    public static BackplaneMessage Read(byte[] payload)
    {
        using var r = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
        try
        {
            if (r.ReadByte() != Version) throw new InvalidDataException("unknown backplane envelope version");
            var kind = (Kind)r.ReadByte();
            var sender = r.ReadString();
            switch (kind)
            {
                case Kind.Invocation:
                    var excluded = new string[r.Read7BitEncodedInt()];
                    for (var i = 0; i < excluded.Length; i++) excluded[i] = r.ReadString();
                    var perProtocol = new SerializedMessage[r.Read7BitEncodedInt()];
                    for (var i = 0; i < perProtocol.Length; i++)
                    {
                        var protocol = r.ReadString();
                        perProtocol[i] = new SerializedMessage(protocol, r.ReadBytes(r.Read7BitEncodedInt()));
                    }
                    return new InvocationEnvelope(sender, perProtocol, excluded);
                case Kind.GroupCommand:
                    return new GroupCommand(sender, r.ReadInt32(), (GroupAction)r.ReadByte(), r.ReadString(), r.ReadString());
                case Kind.Ack:
                    return new Ack(sender, r.ReadInt32());
                default:
                    throw new InvalidDataException($"unknown backplane message kind {(byte)kind}");
            }
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("truncated backplane envelope", ex);
        }
    }
}
