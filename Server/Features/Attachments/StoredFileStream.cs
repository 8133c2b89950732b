using ChatHub.Server.Storage;

namespace ChatHub.Server.Features.Attachments;

/// <summary>A stored file as a read-only, seekable stream, for a download (ASP.NET serves it, ranges included): each read
/// is one short store read of at most one slice (<see cref="AttachmentChunks.Bytes"/>). A client that reads slowly
/// holds its buffer only: no database connection or snapshot waits on it, and no file is in memory whole.</summary>
public sealed class StoredFileStream(IChatStore store, AttachmentRow file) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => file.FileSize;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wanted = (int)Math.Min(Math.Min(buffer.Length, AttachmentChunks.Bytes), Length - _position);
        if (wanted <= 0) return 0;
        var position = _position;
        var read = await store.ReadAsync(reader => reader.ReadAttachmentAsync(file.Id, position, buffer[..wanted]), cancellationToken);
        // Shorter than its size: deleted meanwhile (an expired pending upload). The response cannot be completed.
        if (read == 0) throw new IOException($"attachment {file.Id} was deleted during its download");
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => Length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
