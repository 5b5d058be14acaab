// Consultation at scale (issue: a draft with 20,000 published comments stays fast; comment intake holds 100
// concurrent residents without an error or a lost comment).
//   dotnet run -c Release --project bench/Engagement.Bench
// Starts the built site on a free loopback port with a fresh SQLite file (or PostgreSQL: BENCH_POSTGRES=<connection
// string>), adds 20,000 published comments to the open demo draft, then measures each page against /healthz, a cheap
// endpoint of the same app in the same run, so the figures compare like with like on a noisy machine.
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

if (args is ["live-baseline", var baselinePort])
{
    return await Engagement.Bench.LiveBench.BaselineServerAsync(int.Parse(baselinePort));
}
if (args is ["live-clients", var kind, var urls, var participants, var seconds, var qps, var vps])
{
    return await Engagement.Bench.LiveBench.ClientsAsync(kind, urls, int.Parse(participants), int.Parse(seconds), int.Parse(qps), int.Parse(vps));
}
var root = FindRoot();
if (args is ["live", ..])
{
    return await Engagement.Bench.LiveBench.RunAsync(root);
}
if (args is ["load-telemetry", ..])
{
    return await Engagement.Bench.LoadBench.RunTelemetryComparisonAsync(root);
}
if (args is ["load", ..])
{
    return await Engagement.Bench.LoadBench.RunAsync(root);
}
if (args is ["registrations", ..])
{
    return await RegistrationBench.RunAsync(root);
}
if (args is ["privacy", ..])
{
    return PrivacyBench.Run(root);
}
if (args is ["draw", ..])
{
    DrawBench.Run();
    return 0;
}
if (args is ["clustering-tune", ..])
{
    ClusteringBench.Tune(root);
    return 0;
}
if (args is ["clustering", ..])
{
    ClusteringBench.Run(root);
    return 0;
}

const int Comments = 20_000;
const int Residents = 100;
const int PostsPerResident = 5;
const string Password = "Bench-password-2026";

var work = Directory.CreateTempSubdirectory("engagement-bench-").FullName;
var postgres = Environment.GetEnvironmentVariable("BENCH_POSTGRES");
var connection = postgres ?? $"Data Source={Path.Combine(work, "bench.db")}";
var port = FreePort();
var baseUrl = $"http://127.0.0.1:{port}";
var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
var web = Path.Combine(root, "src", "Engagement.Web");
var start = new ProcessStartInfo("dotnet", [Path.Combine(web, "bin", configuration, "net10.0", "Engagement.Web.dll"), "--urls", baseUrl, "--contentRoot", web])
{
    WorkingDirectory = web, RedirectStandardOutput = true, RedirectStandardError = true,
};
start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
start.Environment["ConnectionStrings__Engagement"] = connection;
start.Environment["Database__Provider"] = postgres is null ? "Sqlite" : "Postgres";
start.Environment["Demo__Enabled"] = "true";
start.Environment["Demo__Residents"] = Residents.ToString();
start.Environment["Demo__Password"] = Password;
start.Environment["RateLimiting__Enabled"] = "false";
start.Environment["Security__SecureCookies"] = "false";
// A Production site refuses to start without these (docs/DEPLOYMENT.md); the benches reach it on loopback.
start.Environment["Site__PublicUrl"] = "http://127.0.0.1";
start.Environment["AllowedHosts"] = "127.0.0.1;localhost";
start.Environment["Logging__LogLevel__Default"] = "Warning";
start.Environment["Outbox__PickupDirectory"] = Path.Combine(work, "mail");
using var site = Process.Start(start)!;
site.OutputDataReceived += (_, _) => { };
site.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("site: " + e.Data); };
site.BeginOutputReadLine();
site.BeginErrorReadLine();

try
{
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
    await WaitHealthyAsync(http);

    // --- 20,000 published comments on the open draft --------------------------------------------------------------
    var options = postgres is null
        ? (EngagementDbContext)new SqliteEngagementDbContext(new DbContextOptionsBuilder<SqliteEngagementDbContext>().UseSqlite(connection).Options)
        : new PostgresEngagementDbContext(new DbContextOptionsBuilder<PostgresEngagementDbContext>().UseNpgsql(connection).Options);
    int decisionId;
    await using (var db = options)
    {
        decisionId = await db.Set<Decision>().Where(d => d.Title.Contains("加装电梯")).Select(d => d.Id).SingleAsync();
        var authors = await db.Users.Where(u => u.Email!.StartsWith("resident")).Select(u => u.Id).ToListAsync();
        var now = DateTimeOffset.UtcNow;
        var seeded = Stopwatch.StartNew();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var batch = 0; batch < Comments / 2000; batch++)
        {
            for (var i = 0; i < 2000; i++)
            {
                var n = batch * 2000 + i;
                var text = $"第{n % 8 + 1}条的意见（压力测试第{n}条）：建议进一步明确街道在加装电梯协商中的职责和办理时限。";
                db.Add(new Comment
                {
                    DecisionId = decisionId, AuthorId = authors[n % authors.Count], Text = text, PublicText = text, Paragraph = n % 8 + 1,
                    Status = CommentStatus.Published, Channel = CommentChannel.Online, CreatedAt = now.AddSeconds(-n), ModeratedAt = now,
                    TextHash = $"bench-{n}",
                });
            }
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
        if (postgres is not null)
        {
            // What autovacuum does soon after a bulk load in a real deployment: statistics and the visibility map.
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE \"Comment\"");
        }
        Console.WriteLine($"Seeded {Comments:N0} published comments in {seeded.Elapsed.TotalSeconds:F1} s ({(postgres is null ? "SQLite" : "PostgreSQL")}).");
    }

    // --- Reads: p50/p95 against /healthz in the same run -----------------------------------------------------------
    var targets = new (string Name, string Path)[]
    {
        ("baseline /healthz", "/healthz"),
        ("decision page", $"/decisions/{decisionId}"),
        ("decision page, comments page 500", $"/decisions/{decisionId}?page=500"),
        ("API comments, page 1", $"/api/v1/decisions/{decisionId}/comments?page=1&pageSize=20"),
        ("API comments, page 900", $"/api/v1/decisions/{decisionId}/comments?page=900&pageSize=20"),
        ("catalog page", "/decisions"),
    };
    foreach (var (_, path) in targets) await http.GetAsync(path); // warm-up
    var results = new List<(string Name, double P50, double P95)>();
    foreach (var (name, path) in targets)
    {
        var times = await MeasureAsync(http, path, requests: 200, concurrency: 4);
        results.Add((name, Percentile(times, 50), Percentile(times, 95)));
    }
    var baseline = results[0];
    Console.WriteLine();
    Console.WriteLine("| request | p50 ms | p95 ms | p50 / baseline |");
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    foreach (var r in results)
    {
        Console.WriteLine($"| {r.Name} | {r.P50:F1} | {r.P95:F1} | {r.P50 / baseline.P50:F1}x |");
    }

    // --- Intake: 100 residents posting at once ---------------------------------------------------------------------
    var tokens = new List<string>();
    for (var i = 1; i <= Residents; i++)
    {
        var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = $"resident{i}@example.org", password = Password });
        login.EnsureSuccessStatusCode();
        tokens.Add((await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!);
    }
    var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
    var intake = Stopwatch.StartNew();
    await Task.WhenAll(tokens.Select(async (token, r) =>
    {
        for (var k = 0; k < PostsPerResident; k++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/decisions/{decisionId}/comments")
            {
                Content = JsonContent.Create(new { text = $"居民{r + 1}的第{k + 1}条意见：希望加快审批。", paragraph = k % 8 + 1 }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            try
            {
                statuses.Add((await http.SendAsync(request)).StatusCode);
            }
            catch (Exception)
            {
                statuses.Add(0);
            }
        }
    }));
    intake.Stop();
    await using (var db = postgres is null
        ? (EngagementDbContext)new SqliteEngagementDbContext(new DbContextOptionsBuilder<SqliteEngagementDbContext>().UseSqlite(connection).Options)
        : new PostgresEngagementDbContext(new DbContextOptionsBuilder<PostgresEngagementDbContext>().UseNpgsql(connection).Options))
    {
        var stored = await db.Set<Comment>().CountAsync(c => c.DecisionId == decisionId && c.Text.StartsWith("居民") && c.Text.Contains("希望加快审批"));
        var created = statuses.Count(s => s == HttpStatusCode.Created);
        Console.WriteLine();
        Console.WriteLine($"Intake: {Residents} residents x {PostsPerResident} comments at once in {intake.Elapsed.TotalSeconds:F1} s: " +
            $"{created} created, {statuses.Count - created} failed ({string.Join(", ", statuses.Where(s => s != HttpStatusCode.Created).GroupBy(s => s).Select(g => $"{(int)g.Key}: {g.Count()}"))}), " +
            $"{stored} stored{(stored == created ? " (none lost)" : " (MISMATCH)")}.");
        return created == Residents * PostsPerResident && stored == created ? 0 : 1;
    }
}
finally
{
    if (!site.HasExited) site.Kill(entireProcessTree: true);
    await site.WaitForExitAsync();
    try { Directory.Delete(work, true); } catch (IOException) { }
}

static async Task<List<double>> MeasureAsync(HttpClient http, string path, int requests, int concurrency)
{
    var times = new System.Collections.Concurrent.ConcurrentBag<double>();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) < requests)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            watch.Stop();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
    }));
    return times.Order().ToList();
}

static double Percentile(List<double> sorted, int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

static async Task WaitHealthyAsync(HttpClient http)
{
    for (var i = 0; i < 240; i++)
    {
        try
        {
            if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return;
        }
        catch (HttpRequestException) { }
        await Task.Delay(500);
    }
    throw new InvalidOperationException("The site did not start");
}

static int FreePort()
{
    var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    return port;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Engagement.sln"))) return dir.FullName;
    }
    throw new InvalidOperationException("Engagement.sln not found");
}
