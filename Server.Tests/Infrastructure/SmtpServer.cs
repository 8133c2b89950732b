using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MimeKit;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>One email the test SMTP server received: the envelope and the parsed message.</summary>
public sealed record ReceivedMail(string MailFrom, IReadOnlyList<string> RcptTo, string Subject, string Text, string? Html, string Raw);

/// <summary>A real SMTP server as a child process on a free loopback port: Debian's aiosmtpd (python3-aiosmtpd, which
/// ./test.sh installs when missing) with a handler that prints each message it accepts as one JSON line, which this class
/// parses with MimeKit. Tests point the server at it with <see cref="Settings"/> and wait for mail with
/// <see cref="WaitForAsync"/>. Dispose kills it.</summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    // Controller runs the server on a thread of its own; start() returns once it accepts connections.
    private const string Script = """
        import json, sys, threading
        from aiosmtpd.controller import Controller
        class Sink:
            async def handle_DATA(self, server, session, envelope):
                print(json.dumps({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                                  "data": envelope.original_content.decode("utf-8", "replace")}), flush=True)
                return "250 OK"
        controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
        controller.start()
        print("READY", flush=True)
        threading.Event().wait()
        """;

    private readonly Process _process;
    private readonly List<ReceivedMail> _received = [];
    private readonly List<string> _log = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SmtpServer(int port, Process process)
    {
        Port = port;
        _process = process;
    }

    public int Port { get; }

    /// <summary>Email:Smtp:* for a ChatHub server that sends here (plain SMTP, no authentication).</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = Port.ToString(),
        ["Email:Smtp:From"] = "ChatHub Support <support@chathub.test>",
        ["Email:Smtp:Security"] = "none",
    };

    public IReadOnlyList<ReceivedMail> Received
    {
        get { lock (_received) return _received.ToList(); }
    }

    public string Log
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    public static async Task<SmtpServer> StartAsync()
    {
        var port = FreePort();
        // Debian's interpreter: the one its python3-aiosmtpd is installed for (a python3 on PATH may be another one).
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", Script, port.ToString() }) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var server = new SmtpServer(port, process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(server._ready.Task, process.WaitForExitAsync(), Task.Delay(StartTimeout));
        if (started != server._ready.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("the test SMTP server did not start (is python3-aiosmtpd installed? ./test.sh installs it):\n" + server.Log);
        }
        return server;
    }

    /// <summary>The first received mail that matches (already received or still to come); fails after
    /// <paramref name="timeout"/> (30 s by default: a bound against hanging, not a measurement).</summary>
    public async Task<ReceivedMail> WaitForAsync(Func<ReceivedMail, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Received.FirstOrDefault(match) is { } mail) return mail;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no matching mail arrived; received {Received.Count}: " +
                                           string.Join(", ", Received.Select(m => $"'{m.Subject}' to {string.Join(";", m.RcptTo)}")) + "\n" + Log);
            await Task.Delay(50);
        }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        if (line == "READY") { _ready.TrySetResult(); return; }
        try
        {
            using var json = JsonDocument.Parse(line);
            var raw = json.RootElement.GetProperty("data").GetString() ?? "";
            var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw)));
            var mail = new ReceivedMail(json.RootElement.GetProperty("from").GetString() ?? "",
                json.RootElement.GetProperty("to").EnumerateArray().Select(t => t.GetString() ?? "").ToList(),
                message.Subject ?? "", message.TextBody ?? "", message.HtmlBody, raw);
            lock (_received) _received.Add(mail);
        }
        catch (JsonException)
        {
            lock (_log) _log.Add(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
