using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ChatHub.Contracts;
using ChatHub.Server.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ChatHub.Server.Tests.Attachments;

/// <summary>Issue 20, item 3, the security review's reproduction: one 10 MB upload, then 200 sockets that ask for it and
/// never read, and 100 readers that download it whole at once. Downloads stream from the store slice by slice, so
/// the server holds a bounded buffer per download, never the file; uploads are spooled to disk and streamed into the
/// store. A real server process (whichever store
/// CHATHUB_TEST_STORE names), so that its resident memory can be read from /proc.</summary>
public sealed class AttachmentMemoryTests(ITestOutputHelper output)
{
    private const int FileBytes = 10 * 1024 * 1024;
    private const int StalledReaders = 200;
    private const int ParallelReaders = 100;
    private const int Rounds = 2;
    private const long AllowedGrowth = 300L * 1024 * 1024;

    [Fact]
    public async Task A_10_MB_file_to_200_stalled_and_100_parallel_readers_keeps_the_servers_memory_within_300_MB()
    {
        await using var server = await ServerProcess.StartAsync();
        var contact = await server.Http.PostRead<ContactDto>($"{server.ClientApi}/contacts", new { name = "Big file" });
        var data = TestFiles.RandomBytes(FileBytes);
        var expected = SHA256.HashData(data);
        var upload = await (await server.Http.PostAsync($"{server.ClientApi}/contacts/{contact.SourceId}/uploads",
            TestFiles.Form([], [("big.bin", data, "application/octet-stream")], "attachment"))).Read<AttachmentDto>();
        // Warm up once (JIT, pools), so that "before" is the server at work, not the server cold.
        Assert.Equal(expected, SHA256.HashData(await server.Http.GetByteArrayAsync(upload.DataUrl)));
        var before = server.ResidentBytes();

        using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromMinutes(5) };
        using var stopSampling = new CancellationTokenSource();
        var peakSampler = SamplePeakAsync(server, stopSampling.Token);
        for (var round = 1; round <= Rounds; round++)
        {
            var stalled = new List<Socket>();
            try
            {
                for (var i = 0; i < StalledReaders; i++) stalled.Add(await AskAndNeverReadAsync(server.BaseUrl, upload.DataUrl));
                // Each has bytes waiting in its receive buffer: the server is serving all of them (bounded wait).
                await WaitUntilAsync(() => stalled.All(s => s.Available > 0), () => $"{stalled.Count(s => s.Available > 0)} of {StalledReaders} stalled sockets got bytes");

                var hashes = await Task.WhenAll(Enumerable.Range(0, ParallelReaders).Select(async _ =>
                {
                    using var response = await http.GetAsync(upload.DataUrl, HttpCompletionOption.ResponseHeadersRead);
                    response.EnsureSuccessStatusCode();
                    await using var body = await response.Content.ReadAsStreamAsync();
                    return await SHA256.HashDataAsync(body);
                }));
                Assert.All(hashes, hash => Assert.Equal(expected, hash));
                output.WriteLine($"round {round}: with {StalledReaders} stalled readers still open and {ParallelReaders} downloads done: {Mib(server.ResidentBytes())} MiB");
            }
            finally
            {
                foreach (var socket in stalled) socket.Dispose();
            }
        }
        // After the sockets closed, as the review measured 20 s after.
        await Task.Delay(TimeSpan.FromSeconds(20));
        var after = server.ResidentBytes();
        await stopSampling.CancelAsync();
        var peak = await peakSampler;

        output.WriteLine($"RSS before {Mib(before)} MiB, peak {Mib(peak)} MiB (+{Mib(peak - before)}), 20 s after {Mib(after)} MiB " +
                         $"({TestStore.Provider}, {Rounds} rounds of {StalledReaders} stalled and {ParallelReaders} parallel readers of a {Mib(FileBytes)} MiB file)");
        Assert.True(peak - before < AllowedGrowth,
            $"the server grew from {Mib(before)} MiB to {Mib(peak)} MiB serving one {Mib(FileBytes)} MiB file (allowed +{Mib(AllowedGrowth)} MiB)");
        Assert.False(server.HasExited, server.Log);
    }

    [Fact]
    public async Task Forty_parallel_10_MB_uploads_are_spooled_and_streamed_into_the_store_not_held_in_memory()
    {
        const int uploads = 40;
        await using var server = await ServerProcess.StartAsync();
        var contact = await server.Http.PostRead<ContactDto>($"{server.ClientApi}/contacts", new { name = "Uploader" });
        var path = $"{server.ClientApi}/contacts/{contact.SourceId}/uploads";
        var data = TestFiles.RandomBytes(FileBytes);
        (await server.Http.PostAsync(path, TestFiles.Form([], [("warm-up.bin", data, "application/octet-stream")], "attachment"))).EnsureSuccessStatusCode();
        var before = server.ResidentBytes();

        using var stopSampling = new CancellationTokenSource();
        var peakSampler = SamplePeakAsync(server, stopSampling.Token);
        using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromMinutes(5) };
        var stored = await Task.WhenAll(Enumerable.Range(0, uploads).Select(async i =>
            await (await http.PostAsync(path, TestFiles.Form([], [($"{i}.bin", data, "application/octet-stream")], "attachment"))).Read<AttachmentDto>()));
        await stopSampling.CancelAsync();
        var peak = await peakSampler;

        Assert.All(stored, upload => Assert.Equal(FileBytes, upload.FileSize));
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await server.Http.GetByteArrayAsync(stored[^1].DataUrl)));
        output.WriteLine($"RSS before {Mib(before)} MiB, peak {Mib(peak)} MiB (+{Mib(peak - before)}) ({TestStore.Provider}, {uploads} parallel uploads of {Mib(FileBytes)} MiB)");
        Assert.True(peak - before < AllowedGrowth,
            $"the server grew from {Mib(before)} MiB to {Mib(peak)} MiB taking {uploads} uploads of {Mib(FileBytes)} MiB (allowed +{Mib(AllowedGrowth)} MiB)");
    }

    /// <summary>A socket that sends the GET and never reads: its small receive buffer fills, then the server's send
    /// buffer, and the server's download of it waits with what it holds.</summary>
    private static async Task<Socket> AskAndNeverReadAsync(Uri server, string path)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(server.Host, server.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\n\r\n"));
        return socket;
    }

    /// <summary>The highest VmRSS seen, sampled until <paramref name="stop"/>.</summary>
    private static async Task<long> SamplePeakAsync(ServerProcess server, CancellationToken stop)
    {
        var peak = 0L;
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, server.ResidentBytes());
            try { await Task.Delay(20, stop); } catch (OperationCanceledException) { }
        }
        return Math.Max(peak, server.ResidentBytes());
    }

    /// <summary>Waits for <paramref name="done"/> (a bound against hanging, not a speed assertion).</summary>
    private static async Task WaitUntilAsync(Func<bool> done, Func<string> state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, state());
            await Task.Delay(50);
        }
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);
}
