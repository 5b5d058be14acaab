using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Engagement.IntegrationTests.Infrastructure;

/// <summary>
/// The built site as a real process (the one a deployment runs), for what the in-memory host cannot show: being
/// killed with SIGKILL and started again on the same database.
/// </summary>
public sealed class SiteProcess(IReadOnlyDictionary<string, string> settings, string? publishedSite = null) : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    public int Port { get; } = FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string Log { get { lock (_log) return _log.ToString(); } }

    public async Task StartAsync(IReadOnlyDictionary<string, string>? overrides = null)
    {
        ProcessStartInfo start;
        if (publishedSite is not null)
        {
            // As the systemd unit runs it (deploy/systemd/engagement@.service): the published folder, no content root
            // given, Production, every setting from the environment.
            start = new ProcessStartInfo("dotnet", [Path.Combine(publishedSite, "Engagement.Web.dll"), "--urls", BaseUrl])
            {
                WorkingDirectory = publishedSite, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
        }
        else
        {
            var root = RepositoryRoot();
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
            var web = Path.Combine(root, "src", "Engagement.Web");
            var dll = Path.Combine(web, "bin", configuration, "net10.0", "Engagement.Web.dll");
            if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the solution first (./test.sh does).");
            start = new ProcessStartInfo("dotnet", [dll, "--urls", BaseUrl, "--contentRoot", web])
            {
                WorkingDirectory = web, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
            start.Environment["Security__SecureCookies"] = "false";
            start.Environment["Accounts__RequireTwoFactorForAdmins"] = "false";
            start.Environment["Accounts__RequireTwoFactorForStaff"] = "false";
        }
        foreach (var (key, value) in settings) start.Environment[key] = value;
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) start.Environment[key] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"The site did not start on {BaseUrl}:\n{Log}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye, as when the machine's OOM killer or a power cut takes it.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Engagement.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Engagement.sln not found above " + AppContext.BaseDirectory);
    }
}
