using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>
/// The real site, built by the test command, started as its own process on a free loopback port with a fresh SQLite
/// file and demo accounts, and Debian's Chromium driven by Playwright. One per test run.
/// </summary>
public sealed class SiteFixture : IAsyncLifetime
{
    public const string Password = "Browser-test-2026";

    // The flags the brief gives for Debian's Chromium on a machine without outside network.
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly string _work = Directory.CreateTempSubdirectory("engagement-browser-").FullName;
    private Process? _site;
    private IPlaywright? _playwright;
    private readonly System.Text.StringBuilder _siteLog = new();

    public string BaseUrl { get; private set; } = "";

    /// <summary>When the site (and its demo data, dated from that day) started.</summary>
    public DateTimeOffset StartedAt { get; private set; }
    public string PickupDirectory => Path.Combine(_work, "mail");
    public IBrowser Browser { get; private set; } = null!;
    public string AxeSource { get; private set; } = "";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        AxeSource = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot, "node_modules", "axe-core", "axe.min.js"));
        var port = FreePort();
        BaseUrl = $"http://localhost:{port}";
        StartSite(port);
        await WaitUntilHealthyAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh browser context (cookies and all) in the given language.</summary>
    public async Task<IPage> NewPageAsync(string locale = "zh-CN")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = locale,
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = locale },
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        return await context.NewPageAsync();
    }

    /// <summary>Signs a demo account in on the page, as a person does on the sign-in form.</summary>
    public async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#Email", email);
        await page.FillAsync("#Password", Password);
        await page.ClickAsync("#login-submit");
        await page.ArriveAtAsync(BaseUrl + "/");
    }

    private void StartSite(int port)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
        var web = Path.Combine(RepositoryRoot, "src", "Engagement.Web");
        var dll = Path.Combine(web, "bin", configuration, "net10.0", "Engagement.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first (./test.sh does).");
        }
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://localhost:{port}", "--contentRoot", web])
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Engagement"] = $"Data Source={Path.Combine(_work, "site.db")}";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Demo__Enabled"] = "true";
        start.Environment["Demo__Residents"] = "4";
        start.Environment["Demo__Password"] = Password;
        start.Environment["RateLimiting__Enabled"] = "false";
        // The demo staff sign in with a password only here; the two-factor walk turns the requirement on for its own account.
        start.Environment["Accounts__RequireTwoFactorForAdmins"] = "false";
        start.Environment["Accounts__RequireTwoFactorForStaff"] = "false";
        start.Environment["Outbox__PollSeconds"] = "0.2";
        start.Environment["Outbox__PickupDirectory"] = PickupDirectory;
        // A plain-http loopback host: antiforgery refuses Secure-only cookies on http, so they are off here (they
        // are on in every real deployment, which serves https or sits behind a proxy that forwards the scheme).
        start.Environment["Security__SecureCookies"] = "false";
        StartedAt = DateTimeOffset.UtcNow;
        _site = Process.Start(start)!;
        _site.OutputDataReceived += (_, e) => { lock (_siteLog) _siteLog.AppendLine(e.Data); };
        _site.ErrorDataReceived += (_, e) => { lock (_siteLog) _siteLog.AppendLine(e.Data); };
        _site.BeginOutputReadLine();
        _site.BeginErrorReadLine();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_site!.HasExited) break;
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"The site did not start on {BaseUrl}:\n{SiteLog}");
    }

    public string SiteLog { get { lock (_siteLog) return _siteLog.ToString(); } }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_site is { HasExited: false })
        {
            _site.Kill(entireProcessTree: true);
            await _site.WaitForExitAsync();
        }
        _site?.Dispose();
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Engagement.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Engagement.sln not found above the test assembly");
    }
}

[CollectionDefinition(Name)]
public sealed class SiteCollection : ICollectionFixture<SiteFixture>
{
    public const string Name = "site";
}
