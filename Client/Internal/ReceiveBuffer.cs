using System.Buffers;

namespace ChatHub.Client;

/// <summary>Bytes read from the socket and not yet parsed. Records end with 0x1E and do not line up with
/// WebSocket frames, so a partial record stays here until the rest arrives.</summary>
internal sealed class ReceiveBuffer
{
    private const int InitialSize = 4096;
    private const int MinimumRead = 1024;
    private const int KeepAtMost = 64 * 1024;

    private byte[] _bytes = new byte[InitialSize];
    private int _start;
    private int _end;

    public ReadOnlySequence<byte> Unread => new(_bytes, _start, _end - _start);

    public Memory<byte> GetFreeSpace()
    {
        if (_bytes.Length - _end < MinimumRead)
        {
            MakeRoom();
        }
        return _bytes.AsMemory(_end);
    }

    public void Advance(int count) => _end += count;

    /// <summary>Marks everything before <paramref name="remaining"/> (what the parser left) as read.</summary>
    public void ConsumeTo(ReadOnlySequence<byte> remaining)
    {
        _start = _end - (int)remaining.Length;
        if (_start == _end)
        {
            _start = _end = 0;
            if (_bytes.Length > KeepAtMost)
            {
                // One large answer should not pin a large buffer for the connection's life.
                _bytes = new byte[InitialSize];
            }
        }
    }

    // Slides the unread bytes to the front when that frees enough; otherwise doubles, so a record of n bytes
    // costs O(n) copying overall.
    private void MakeRoom()
    {
        var unread = _end - _start;
        var target = unread + MinimumRead <= _bytes.Length / 2 ? _bytes : new byte[Math.Max(_bytes.Length * 2, unread + MinimumRead)];
        Buffer.BlockCopy(_bytes, _start, target, 0, unread);
        _bytes = target;
        _start = 0;
        _end = unread;
    }
}
