using System.Diagnostics;
using System.Net;

namespace Engagement.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's nginx running <c>deploy/nginx/engagement.conf</c> as shipped, on loopback: its two upstream ports become
/// the test's instances, its listen ports free ones, its host name <c>localhost</c>, its certificate a throwaway one.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    private readonly string _work;
    private Process? _process;

    public int HttpPort { get; } = SiteProcess.FreePort();
    public int HttpsPort { get; } = SiteProcess.FreePort();
    public string Https => $"https://localhost:{HttpsPort}";

    public Nginx(string work) => _work = work;

    /// <summary>A client that trusts the throwaway certificate, keeps cookies and does not follow redirects.</summary>
    public static HttpClient Client(string baseAddress, CookieContainer? cookies = null) =>
        new(new HttpClientHandler
        {
            CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        }) { BaseAddress = new Uri(baseAddress) };

    public async Task StartAsync(int instanceA, int instanceB)
    {
        var tls = Path.Combine(_work, "tls");
        Directory.CreateDirectory(tls);
        var openssl = await SiteCommand.RunProcessAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-keyout", Path.Combine(tls, "privkey.pem"), "-out", Path.Combine(tls, "fullchain.pem")]);
        if (openssl.ExitCode != 0) throw new InvalidOperationException("openssl: " + openssl.All);

        var template = await File.ReadAllTextAsync(Path.Combine(SiteProcess.RepositoryRoot(), "deploy", "nginx", "engagement.conf"));
        var site = Render(template, instanceA, instanceB, tls);
        var conf = Path.Combine(_work, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            pid {{_work}}/nginx.pid;
            error_log {{_work}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{_work}}/client_body;
                proxy_temp_path {{_work}}/proxy;
                fastcgi_temp_path {{_work}}/fastcgi;
                uwsgi_temp_path {{_work}}/uwsgi;
                scgi_temp_path {{_work}}/scgi;
            {{site}}
            }
            """);
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        _process = Process.Start(new ProcessStartInfo(nginx, ["-p", _work, "-c", conf, "-g", "daemon off;"])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        using var http = Client(Https);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("nginx did not start: " + (File.Exists(Path.Combine(_work, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(_work, "error.log")) : ""));
    }

    /// <summary>The shipped file with this machine's ports, host name and certificate; every replacement must find its text, or the file changed under the test.</summary>
    public string Render(string template, int instanceA, int instanceB, string tls)
    {
        string Replace(string text, string from, string to) =>
            text.Contains(from) ? text.Replace(from, to) : throw new InvalidOperationException($"deploy/nginx/engagement.conf no longer holds '{from}'");
        var site = Replace(template, "127.0.0.1:5081", $"127.0.0.1:{instanceA}");
        site = Replace(site, "127.0.0.1:5082", $"127.0.0.1:{instanceB}");
        site = Replace(site, "listen 80 default_server;", $"listen 127.0.0.1:{HttpPort} default_server;");
        site = Replace(site, "listen 443 ssl default_server;", $"listen 127.0.0.1:{HttpsPort} ssl default_server;");
        site = Replace(site, "listen 80;", $"listen 127.0.0.1:{HttpPort};");
        site = Replace(site, "listen 443 ssl;", $"listen 127.0.0.1:{HttpsPort} ssl;");
        site = Replace(site, "server_name engagement.example.gov.cn;", "server_name localhost;");
        return Replace(site, "/etc/ssl/engagement/", tls + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
    }
}
