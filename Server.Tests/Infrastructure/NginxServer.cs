using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ChatHub.Server.Tests.Infrastructure;

/// <summary>Debian's nginx running the repository's deploy/nginx/chathub.conf, as shipped but for what only a real
/// site has: its two upstream servers become the test's nodes, its listen ports free loopback ports, its certificate a
/// self-signed one for 127.0.0.1 made here with openssl (<see cref="CertificatePath"/>, for clients to trust). A
/// child process in the foreground (daemon off), with its own prefix folder; Dispose stops it. Needs nginx and
/// openssl (./test.sh installs nginx when missing).</summary>
public sealed partial class NginxServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private NginxServer(Process process, string folder, int httpPort, int httpsPort)
    {
        _process = process;
        _folder = folder;
        HttpUrl = new Uri($"http://127.0.0.1:{httpPort}");
        HttpsUrl = new Uri($"https://127.0.0.1:{httpsPort}");
    }

    public Uri HttpUrl { get; }
    public Uri HttpsUrl { get; }
    public string CertificatePath => Path.Combine(_folder, "proxy-cert.pem");

    /// <summary>What nginx wrote to its error log so far (for failure messages).</summary>
    public string ErrorLog => File.Exists(Path.Combine(_folder, "error.log")) ? File.ReadAllText(Path.Combine(_folder, "error.log")) : "";

    public static async Task<NginxServer> StartAsync(Uri nodeA, Uri nodeB)
    {
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        var folder = TempDirectory.Create().Path;
        foreach (var temp in new[] { "logs", "body", "proxy", "fastcgi", "uwsgi", "scgi" }) Directory.CreateDirectory(Path.Combine(folder, temp));
        await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", Path.Combine(folder, "proxy-key.pem"), "-out", Path.Combine(folder, "proxy-cert.pem"));

        var (httpPort, httpsPort) = (FreePort(), FreePort());
        var site = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "deploy", "nginx", "chathub.conf"));
        site = Replace(site, "server 127.0.0.1:5001", $"server 127.0.0.1:{nodeA.Port}");
        site = Replace(site, "server 127.0.0.1:5002", $"server 127.0.0.1:{nodeB.Port}");
        site = Replace(site, "listen 80;", $"listen 127.0.0.1:{httpPort};");
        site = Replace(site, "listen 443 ssl http2;", $"listen 127.0.0.1:{httpsPort} ssl http2;");
        site = Ipv6Listen().Replace(site, ""); // the test binds loopback IPv4 only
        site = Replace(site, "/etc/letsencrypt/live/chat.example.com/fullchain.pem", Path.Combine(folder, "proxy-cert.pem"));
        site = Replace(site, "/etc/letsencrypt/live/chat.example.com/privkey.pem", Path.Combine(folder, "proxy-key.pem"));
        await File.WriteAllTextAsync(Path.Combine(folder, "chathub.conf"), site);
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 512; }
            http {
                access_log {{folder}}/logs/access.log;
                client_body_temp_path {{folder}}/body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                include {{folder}}/chathub.conf;
            }
            """);

        var start = new ProcessStartInfo(nginx) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-g", "daemon off;" }) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("nginx is not installed: run ./test.sh (it installs Debian's nginx) or apt-get install nginx", ex);
        }
        var server = new NginxServer(process, folder, httpPort, httpsPort);
        var stderr = process.StandardError.ReadToEndAsync();
        for (var attempt = 0; ; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"nginx exited {process.ExitCode}: {await stderr}\n{server.ErrorLog}");
            if (await AcceptsAsync(httpsPort)) return server;
            if (attempt > 300) throw new TimeoutException($"nginx did not listen on {httpsPort}\n{server.ErrorLog}");
            await Task.Delay(100);
        }
    }

    private static string Replace(string text, string what, string with) =>
        text.Contains(what) ? text.Replace(what, with) : throw new InvalidOperationException($"deploy/nginx/chathub.conf no longer has '{what}': update NginxServer");

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} exited {process.ExitCode}: {await error}");
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ChatHub.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no ChatHub.sln above {AppContext.BaseDirectory}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^\s*listen \[::\]:\d+[^;]*;\s*$\n?", RegexOptions.Multiline)]
    private static partial Regex Ipv6Listen();
}
