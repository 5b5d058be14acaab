using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Engagement.Web.Features.Live;
using Microsoft.AspNetCore.SignalR.Client;

namespace Engagement.Bench;

/// <summary>
/// 300 simulated residents for 5 minutes against the built site (SQLite, or PostgreSQL with BENCH_POSTGRES):
/// browsing the catalog, reading drafts and the statistics, commenting, leaving messages, registering for an open day,
/// and — 60 of them — in the live session DEMO26, asking and voting, while a host moderates it. Each resident thinks
/// 1 to 4 seconds between actions, as people do. Reports throughput, p50/p95/p99 per kind of request, errors and the
/// site's peak memory. "load-telemetry" runs it with telemetry off and on and compares (<see cref="RunTelemetryComparisonAsync"/>).
///   dotnet run -c Release --project bench/Engagement.Bench -- load
///   BENCH_USERS=300 BENCH_SECONDS=300 BENCH_POSTGRES="Host=…;Database=…" dotnet run -c Release --project bench/Engagement.Bench -- load
/// </summary>
public static class LoadBench
{
    private const string Password = "Bench-password-2026";

    private sealed record Sample(string Kind, double Milliseconds, bool Ok, string? Error);

    /// <summary>One run: every request timed, the site's CPU time during the load, its peak memory, and what was scraped/exported.</summary>
    private sealed record LoadResult(List<Sample> Samples, int Seconds, long PeakMemory, TimeSpan SiteCpu, int Scrapes);

    public static async Task<int> RunAsync(string root)
    {
        var users = int.TryParse(Environment.GetEnvironmentVariable("BENCH_USERS"), out var u) ? u : 300;
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_SECONDS"), out var s) ? s : 300;
        var postgres = Environment.GetEnvironmentVariable("BENCH_POSTGRES");
        var result = await RunOnceAsync(root, users, seconds, postgres, new Dictionary<string, string>(), scrapeEvery: null);
        Print(result, postgres, users);
        return result.Samples.Any(x => !x.Ok) ? 1 : 0;
    }

    /// <summary>
    /// The same load with telemetry off (OpenTelemetry:Enabled=false), with metrics scraped from /metrics every 5 s as
    /// Prometheus would, and with traces and metrics also exported over OTLP to a collector stand-in in this process
    /// (BENCH_MODES, default off,metrics,traces,traces-0.1), in turn, BENCH_ROUNDS times, so drift on a shared machine
    /// falls on all. Compares throughput, latency and the site's CPU time per request against the first: the bar is 5%.
    ///   dotnet run -c Release --project bench/Engagement.Bench -- load-telemetry
    /// </summary>
    public static async Task<int> RunTelemetryComparisonAsync(string root)
    {
        var users = int.TryParse(Environment.GetEnvironmentVariable("BENCH_USERS"), out var u) ? u : 300;
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_SECONDS"), out var s) ? s : 120;
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_ROUNDS"), out var r) ? r : 2;
        var postgres = Environment.GetEnvironmentVariable("BENCH_POSTGRES");
        using var collector = new OtlpSink();
        // off: OpenTelemetry:Enabled=false. metrics: the default deployment (Prometheus scrapes /metrics; no
        // traces without an endpoint). traces: metrics and traces pushed over OTLP every 5 s / 1 s besides the scrape,
        // at OpenTelemetry:SampleRatio 1 (every request) or 0.1 (traces-0.1); traces-nodb without database spans.
        var modes = (Environment.GetEnvironmentVariable("BENCH_MODES") ?? "off,metrics,traces,traces-0.1").Split(',', StringSplitOptions.TrimEntries);
        Dictionary<string, string> Settings(string mode) => mode switch
        {
            "off" => new() { ["OpenTelemetry__Enabled"] = "false" },
            "metrics" => new(),
            _ => new()
            {
                ["OpenTelemetry__Endpoint"] = collector.Url, ["OpenTelemetry__Protocol"] = "http/protobuf",
                ["OpenTelemetry__SampleRatio"] = mode.StartsWith("traces-0", StringComparison.Ordinal) ? mode["traces-".Length..] : "1",
                ["OpenTelemetry__TraceDatabase"] = mode == "traces-nodb" ? "false" : "true",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "5000", ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
            },
        };
        // Prometheus' scrape interval (BENCH_SCRAPE_SECONDS): 15 s is its common setting, 5 s a busy one.
        var scrape = int.TryParse(Environment.GetEnvironmentVariable("BENCH_SCRAPE_SECONDS"), out var every) && every > 0 ? every : 15;
        var results = modes.ToDictionary(m => m, _ => new List<LoadResult>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var mode in modes)
            {
                Console.WriteLine($"round {round}/{rounds}: telemetry {mode}");
                results[mode].Add(await RunOnceAsync(root, users, seconds, postgres, Settings(mode), scrapeEvery: mode == "off" ? null : TimeSpan.FromSeconds(scrape)));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"provider: {(postgres is null ? "SQLite" : "PostgreSQL")}, residents: {users}, {rounds} × {seconds} s each; " +
            $"scrape every {scrape} s; collector stand-in received {collector.Requests} OTLP requests ({collector.Bytes / 1024} KB)");
        Console.WriteLine("| telemetry | requests/s | p50 ms | p95 ms | p99 ms | site CPU ms per request | peak MB | errors |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        (double Rate, double P50, double P95, double P99, double Cpu) Row(string name, List<LoadResult> runs)
        {
            var http = runs.SelectMany(x => x.Samples).Where(x => !x.Kind.StartsWith("live: join", StringComparison.Ordinal)).ToList();
            var times = http.Select(x => x.Milliseconds).Order().ToList();
            var rate = runs.Sum(x => x.Samples.Count) / (double)runs.Sum(x => x.Seconds);
            var cpu = runs.Sum(x => x.SiteCpu.TotalMilliseconds) / runs.Sum(x => x.Samples.Count);
            Console.WriteLine($"| {name} | {rate:0.0} | {P(times, 50):0.0} | {P(times, 95):0.0} | {P(times, 99):0.0} | {cpu:0.00} | " +
                $"{runs.Max(x => x.PeakMemory) / 1024 / 1024} | {runs.Sum(x => x.Samples.Count(y => !y.Ok))} |");
            return (rate, P(times, 50), P(times, 95), P(times, 99), cpu);
        }
        var rows = modes.ToDictionary(m => m, m => Row(m, results[m]));
        string Change(double before, double after) => $"{(after - before) / before * 100:+0.0;-0.0;0.0}%";
        var a = rows[modes[0]];
        var verdict = 0;
        foreach (var mode in modes.Skip(1))
        {
            var b = rows[mode];
            var within = b.Rate >= a.Rate * 0.95 && b.P50 <= a.P50 * 1.05 && b.P95 <= a.P95 * 1.05 && b.Cpu <= a.Cpu * 1.05;
            Console.WriteLine($"{mode} against {modes[0]}: throughput {Change(a.Rate, b.Rate)}, p50 {Change(a.P50, b.P50)}, p95 {Change(a.P95, b.P95)}, " +
                $"p99 {Change(a.P99, b.P99)}, site CPU per request {Change(a.Cpu, b.Cpu)}; within 5%: {(within ? "yes" : "NO")}");
            if (!within) verdict = 2;
        }
        foreach (var mode in modes)
        {
            foreach (var run in results[mode]) Console.WriteLine($"  {mode}: {run.Samples.Count} requests, site CPU {run.SiteCpu.TotalSeconds:0.0} s, scrapes {run.Scrapes}");
        }
        return results.Values.SelectMany(x => x).Any(x => x.Samples.Any(y => !y.Ok)) ? 1 : verdict;
    }

    private static void Print(LoadResult result, string? postgres, int users)
    {
        var all = result.Samples;
        var seconds = result.Seconds;
        Console.WriteLine();
        Console.WriteLine($"provider: {(postgres is null ? "SQLite" : "PostgreSQL")}, residents: {users}, seconds: {seconds}");
        Console.WriteLine($"requests: {all.Count}, throughput: {all.Count / (double)seconds:0.0}/s, errors: {all.Count(x => !x.Ok)}, site peak memory: {result.PeakMemory / 1024 / 1024} MB, site CPU {result.SiteCpu.TotalSeconds:0.0} s");
        Console.WriteLine("| kind | requests | p50 ms | p95 ms | p99 ms | errors |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in all.GroupBy(x => x.Kind).OrderBy(g => g.Key))
        {
            var times = group.Select(x => x.Milliseconds).Order().ToList();
            Console.WriteLine($"| {group.Key} | {times.Count} | {P(times, 50):0} | {P(times, 95):0} | {P(times, 99):0} | {group.Count(x => !x.Ok)} |");
        }
        foreach (var error in all.Where(x => !x.Ok).GroupBy(x => (x.Kind, x.Error)).Take(10))
        {
            Console.WriteLine($"error: {error.Key.Kind}: {error.Key.Error} × {error.Count()}");
        }
    }

    private static async Task<LoadResult> RunOnceAsync(string root, int users, int seconds, string? postgres, Dictionary<string, string> settings, TimeSpan? scrapeEvery)
    {
        var work = Directory.CreateTempSubdirectory("engagement-load-").FullName;
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var web = Path.Combine(root, "src", "Engagement.Web");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(web, "bin", configuration, "net10.0", "Engagement.Web.dll"), "--urls", baseUrl, "--contentRoot", web])
        {
            WorkingDirectory = web, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Engagement"] = postgres ?? $"Data Source={Path.Combine(work, "load.db")}";
        start.Environment["Database__Provider"] = postgres is null ? "Sqlite" : "Postgres";
        start.Environment["Demo__Enabled"] = "true";
        start.Environment["Demo__Residents"] = users.ToString();
        start.Environment["Demo__Password"] = Password;
        start.Environment["RateLimiting__Enabled"] = "false";
        start.Environment["Security__SecureCookies"] = "false";
        // A Production site refuses to start without these (docs/DEPLOYMENT.md); the benches reach it on loopback.
        start.Environment["Site__PublicUrl"] = "http://127.0.0.1";
        start.Environment["AllowedHosts"] = "127.0.0.1;localhost";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Outbox__PickupDirectory"] = Path.Combine(work, "mail");
        foreach (var (key, value) in settings) start.Environment[key] = value;
        using var site = Process.Start(start)!;
        site.OutputDataReceived += (_, _) => { };
        site.ErrorDataReceived += (_, _) => { };
        site.BeginOutputReadLine();
        site.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
            var deadline = DateTime.UtcNow.AddSeconds(180);
            while (true)
            {
                try { if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) break; } catch (HttpRequestException) { }
                if (DateTime.UtcNow > deadline) throw new InvalidOperationException("the site did not start");
                await Task.Delay(500);
            }
            var decisions = await http.GetFromJsonAsync<JsonElement>("/api/v1/decisions");
            var ids = decisions.EnumerateArray().Select(d => d.GetProperty("id").GetInt32()).ToArray();
            var open = decisions.EnumerateArray().Where(d => d.GetProperty("status").GetString() == "openForComment").Select(d => d.GetProperty("id").GetInt32()).FirstOrDefault(ids[0]);
            // Only events whose sign-up is open now (the demo's past Open Month events have closed).
            var events = (await http.GetFromJsonAsync<JsonElement>("/api/v1/events")).EnumerateArray()
                .Where(e => e.GetProperty("registrationOpensAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow && e.GetProperty("registrationClosesAt").GetDateTimeOffset() > DateTimeOffset.UtcNow)
                .Select(e => e.GetProperty("id").GetInt32()).ToArray();

            Console.WriteLine($"signing in {users} residents …");
            var tokens = new string[users];
            await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
                tokens[i] = await TokenAsync(http, $"resident{i + 1}@example.org", ct));
            var hostToken = await TokenAsync(http, "host@example.org", default);

            var samples = new ConcurrentBag<Sample>();
            site.Refresh();
            var cpuAtStart = site.TotalProcessorTime;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var scrapes = 0;
            // Prometheus, scraping this instance.
            var scraper = scrapeEvery is not { } every ? Task.CompletedTask : Task.Run(async () =>
            {
                using var prometheus = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var text = await prometheus.GetStringAsync("/metrics", stop.Token);
                        if (!text.Contains("engagement_moderation_queue", StringComparison.Ordinal)) throw new InvalidOperationException("/metrics lacks the site's figures");
                        scrapes++;
                        await Task.Delay(every, stop.Token);
                    }
                    catch (OperationCanceledException) { }
                }
            });
            var peak = 0L;
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    site.Refresh();
                    peak = Math.Max(peak, site.WorkingSet64);
                    try { await Task.Delay(1000, stop.Token); } catch (OperationCanceledException) { }
                }
            });

            async Task TimeAsync(string kind, Func<Task<HttpResponseMessage>> call)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    using var response = await call();
                    await response.Content.ReadAsByteArrayAsync();
                    samples.Add(new(kind, watch.Elapsed.TotalMilliseconds, response.IsSuccessStatusCode, response.IsSuccessStatusCode ? null : ((int)response.StatusCode).ToString()));
                }
                catch (Exception error) when (!stop.IsCancellationRequested)
                {
                    samples.Add(new(kind, watch.Elapsed.TotalMilliseconds, false, error.GetType().Name));
                }
                catch (Exception) { }
            }

            // The host: joins, and every few seconds pins or answers the newest question.
            var host = Task.Run(async () =>
            {
                await using var connection = new HubConnectionBuilder().WithUrl($"{baseUrl}/hubs/live", o => o.AccessTokenProvider = () => Task.FromResult<string?>(hostToken)).Build();
                var newest = 0L;
                connection.On<JsonElement>("QuestionAdded", q => Interlocked.Exchange(ref newest, q.GetProperty("id").GetInt64()));
                await connection.StartAsync();
                await connection.InvokeAsync<JoinResult>("Join", LiveDemo.JoinCode, null);
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    try { await Task.Delay(3000, stop.Token); } catch (OperationCanceledException) { break; }
                    var id = Interlocked.Read(ref newest);
                    if (id == 0) continue;
                    var watch = Stopwatch.StartNew();
                    try
                    {
                        if (n % 2 == 0) await connection.InvokeAsync("Pin", id);
                        else await connection.InvokeAsync("Answer", id, "感谢提问，相关部门会在会后书面答复。");
                        samples.Add(new("live: host moderates", watch.Elapsed.TotalMilliseconds, true, null));
                    }
                    catch (Exception error) when (!stop.IsCancellationRequested)
                    {
                        samples.Add(new("live: host moderates", watch.Elapsed.TotalMilliseconds, false, error.Message));
                    }
                }
            });

            Console.WriteLine($"{users} residents for {seconds} s …");
            var residents = Enumerable.Range(0, users).Select(i => Task.Run(async () =>
            {
                var random = new Random(i);
                using var anonymous = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
                using var signedIn = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
                signedIn.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens[i]);
                HubConnection? live = null;
                var questions = new ConcurrentQueue<long>();
                if (i < users / 5)
                {
                    live = new HubConnectionBuilder().WithUrl($"{baseUrl}/hubs/live", o => o.AccessTokenProvider = () => Task.FromResult<string?>(tokens[i])).Build();
                    live.On<JsonElement>("QuestionAdded", q => { if (questions.Count < 50) questions.Enqueue(q.GetProperty("id").GetInt64()); });
                    var watch = Stopwatch.StartNew();
                    try
                    {
                        await live.StartAsync(stop.Token);
                        await live.InvokeAsync<JoinResult>("Join", LiveDemo.JoinCode, null, stop.Token);
                        samples.Add(new("live: join", watch.Elapsed.TotalMilliseconds, true, null));
                    }
                    catch (Exception error) when (!stop.IsCancellationRequested)
                    {
                        samples.Add(new("live: join", watch.Elapsed.TotalMilliseconds, false, error.Message));
                        live = null;
                    }
                }
                var registered = false;
                var asked = 0;
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    try { await Task.Delay(random.Next(1000, 4000), stop.Token); } catch (OperationCanceledException) { break; }
                    var roll = random.Next(100);
                    var decision = ids[random.Next(ids.Length)];
                    if (live is not null && roll < 15)
                    {
                        var watch = Stopwatch.StartNew();
                        try
                        {
                            if (asked < 4 && random.Next(3) == 0)
                            {
                                await live.InvokeAsync<AskResult>("Ask", $"居民{i}想问：加装电梯的补贴什么时候发放？（{n}）", stop.Token);
                                asked++;
                                samples.Add(new("live: ask", watch.Elapsed.TotalMilliseconds, true, null));
                            }
                            else if (questions.TryDequeue(out var q))
                            {
                                await live.InvokeAsync("Vote", q, stop.Token);
                                samples.Add(new("live: vote", watch.Elapsed.TotalMilliseconds, true, null));
                            }
                        }
                        catch (Exception error) when (!stop.IsCancellationRequested)
                        {
                            // Voting twice for one question, or on one's own, is refused by design; count only transport failures.
                            if (error is not Microsoft.AspNetCore.SignalR.HubException) samples.Add(new("live: ask/vote", watch.Elapsed.TotalMilliseconds, false, error.Message));
                        }
                        continue;
                    }
                    switch (roll)
                    {
                        case < 40: await TimeAsync("GET /decisions (catalog)", () => anonymous.GetAsync("/decisions", stop.Token)); break;
                        case < 65: await TimeAsync("GET /decisions/{id} (draft)", () => anonymous.GetAsync($"/decisions/{decision}", stop.Token)); break;
                        case < 72: await TimeAsync("GET /statistics, /messages, /events", () => anonymous.GetAsync((n % 3) switch { 0 => "/statistics", 1 => "/messages", _ => "/events" }, stop.Token)); break;
                        case < 80: await TimeAsync("GET / (home)", () => anonymous.GetAsync("/", stop.Token)); break;
                        case < 88: await TimeAsync("POST comment", () => signedIn.PostAsJsonAsync($"/api/v1/decisions/{open}/comments", new { text = $"居民{i}的第{n}条意见：建议加装电梯时同步改造无障碍通道。" }, stop.Token)); break;
                        case < 94: await TimeAsync("POST message", () => signedIn.PostAsJsonAsync("/api/v1/messages", new { text = $"居民{i}的第{n}条留言：社区食堂能否延长营业时间？", decisionId = decision }, stop.Token)); break;
                        default:
                            if (registered || events.Length == 0) { await TimeAsync("GET /events", () => anonymous.GetAsync("/events", stop.Token)); break; }
                            registered = true;
                            await TimeAsync("POST registration", () => signedIn.PostAsJsonAsync($"/api/v1/events/{events[i % events.Length]}/registrations", new { companions = 0 }, stop.Token));
                            break;
                    }
                }
                if (live is not null) await live.DisposeAsync();
            })).ToList();
            await Task.WhenAll(residents);
            await host;
            await sampler;
            await scraper;
            site.Refresh();
            var cpu = site.TotalProcessorTime - cpuAtStart;
            return new LoadResult(samples.ToList(), seconds, peak, cpu, scrapes);
        }
        finally
        {
            site.Kill(entireProcessTree: true);
            await site.WaitForExitAsync();
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static double P(List<double> sorted, int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

    private static async Task<string> TokenAsync(HttpClient http, string email, CancellationToken ct)
    {
        var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password }, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accessToken").GetString()!;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// An OpenTelemetry collector's OTLP/HTTP receiver, reduced to what the exporters need: it takes every export
/// (traces, metrics) and answers 200 with an empty response, counting what arrived.
/// </summary>
internal sealed class OtlpSink : IDisposable
{
    private readonly System.Net.HttpListener _listener = new();
    private long _requests, _bytes;

    public OtlpSink()
    {
        var port = FreePortForSink();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }
    public long Requests => Interlocked.Read(ref _requests);
    public long Bytes => Interlocked.Read(ref _bytes);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            System.Net.HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(async () =>
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Interlocked.Increment(ref _requests);
                Interlocked.Add(ref _bytes, body.Length);
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            });
        }
    }

    private static int FreePortForSink()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _listener.Close();
}
