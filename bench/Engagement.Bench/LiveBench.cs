// Live Q&A at scale (issue 8): 5,000 participants in one session on one instance.
//   dotnet run -c Release --project bench/Engagement.Bench -- live
// Settings (environment): BENCH_PARTICIPANTS (5000), BENCH_SECONDS (30), BENCH_QPS (20 questions/s), BENCH_VPS (200 votes/s).
// 1. Baseline: a bare Kestrel WebSocket broadcast server (this program in "live-baseline" mode, its own process) with
//    the same number of clients; one message of a question's size is broadcast at the same rate.
// 2. The site (its own process, fresh SQLite, demo data): every participant connects with
//    Microsoft.AspNetCore.SignalR.Client over WebSockets and joins DEMO26; questions are asked and votes cast at a
//    steady rate by random participants. Each client records when each new question reached it.
// Reports latency from ask to arrival (p50, p95, p99 over every participant and question), the fan-out time of each
// message (until the last participant has it), vote updates received against votes cast, and the server's CPU and memory.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Engagement.Bench;

public static class LiveBench
{
    private sealed record Question(long Id, string Text);

    private static int Setting(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : fallback;

    public static async Task<int> RunAsync(string root)
    {
        var participants = Setting("BENCH_PARTICIPANTS", 5000);
        var seconds = Setting("BENCH_SECONDS", 30);
        var qps = Setting("BENCH_QPS", 20);
        var vps = Setting("BENCH_VPS", 200);
        ThreadPool.SetMinThreads(256, 256);
        Console.WriteLine($"live Q&A bench: {participants} participants, {seconds} s at {qps} questions/s and {vps} votes/s, {Environment.ProcessorCount} cores");

        var baseline = await BaselineAsync(participants, seconds, qps);
        var hub = await HubAsync(root, participants, seconds, qps, vps);

        Console.WriteLine();
        Console.WriteLine("| | p50 | p95 | p99 | fan-out p50 | fan-out p99 | delivered | server CPU | server memory (peak RSS) | bench clients' CPU |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine(baseline.Row("bare Kestrel WebSocket broadcast"));
        Console.WriteLine(hub.Row("SignalR hub /hubs/live"));
        var ratio = hub.FanOutP50 / Math.Max(0.001, baseline.FanOutP50);
        Console.WriteLine();
        Console.WriteLine($"connect and join: {hub.ConnectSeconds:F1} s for {participants} participants ({hub.ConnectErrors} errors)");
        Console.WriteLine($"votes cast {hub.VotesCast} ({hub.VoteErrors} refused or failed); vote-count updates received per participant per second: {hub.UpdatesPerClientSecond:F2} (votes cast per second: {vps})");
        Console.WriteLine($"hub fan-out p50 / baseline fan-out p50 = {ratio:F2} (target: at most 2, i.e. at least half as fast)");
        var passed = hub.P99 < 500 && ratio <= 2 && hub.Delivered >= 0.999;
        Console.WriteLine(passed ? "TARGETS MET: p99 under 500 ms, fan-out at least half as fast as the baseline, every question delivered"
                                 : "TARGETS MISSED (see figures above)");
        return passed ? 0 : 1;
    }

    private sealed record Result(double P50, double P95, double P99, double FanOutP50, double FanOutP99, double Delivered, double CpuPercent, long PeakRssMb, double ClientCpuPercent,
        double ConnectSeconds = 0, int ConnectErrors = 0, long VotesCast = 0, long VoteErrors = 0, double UpdatesPerClientSecond = 0)
    {
        public string Row(string name) =>
            $"| {name} | {P50:F0} ms | {P95:F0} ms | {P99:F0} ms | {FanOutP50:F0} ms | {FanOutP99:F0} ms | {Delivered:P1} | {CpuPercent:F0}% | {PeakRssMb} MB | {ClientCpuPercent:F0}% |";
    }

    /// <summary>Per message: when it was sent, and when each client received it (ms on this process's stopwatch).</summary>
    private sealed class Arrivals(int clients)
    {
        private readonly ConcurrentDictionary<long, (double Sent, ConcurrentBag<double> Received)> _messages = new();
        public static readonly Stopwatch Clock = Stopwatch.StartNew();

        public void Sent(long id) => _messages[id] = (Clock.Elapsed.TotalMilliseconds, new ConcurrentBag<double>());

        public void Received(long id)
        {
            var now = Clock.Elapsed.TotalMilliseconds;
            if (_messages.TryGetValue(id, out var m)) m.Received.Add(now - m.Sent);
        }

        public (double P50, double P95, double P99, double FanOutP50, double FanOutP99, double Delivered) Summary()
        {
            var all = _messages.Values.SelectMany(m => m.Received).Order().ToArray();
            var fanOut = _messages.Values.Where(m => !m.Received.IsEmpty).Select(m => m.Received.Max()).Order().ToArray();
            var expected = (double)_messages.Count * clients;
            return (Pct(all, 50), Pct(all, 95), Pct(all, 99), Pct(fanOut, 50), Pct(fanOut, 99), expected == 0 ? 0 : all.Length / expected);
        }
    }

    /// <summary>The number in "bench 123 ...", without allocating.</summary>
    private static long BenchId(string text)
    {
        var rest = text.AsSpan(6);
        var end = rest.IndexOf(' ');
        return long.Parse(end < 0 ? rest : rest[..end]);
    }

    private static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    // --- The baseline: a bare WebSocket broadcast ----------------------------------------------------------------------

    /// <summary>The baseline server: every message any client sends goes to every connected client.</summary>
    public static async Task<int> BaselineServerAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.UseWebSockets();
        var sockets = new ConcurrentDictionary<Guid, System.Threading.Channels.Channel<ArraySegment<byte>>>();
        app.MapGet("/healthz", () => "ok");
        app.Map("/ws", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest) return Results.BadRequest();
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var id = Guid.NewGuid();
            var outbox = System.Threading.Channels.Channel.CreateUnbounded<ArraySegment<byte>>(new() { SingleReader = true });
            sockets[id] = outbox;
            var writer = Task.Run(async () =>
            {
                await foreach (var message in outbox.Reader.ReadAllAsync())
                {
                    await socket.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);
                }
            });
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var read = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (read.MessageType == WebSocketMessageType.Close) break;
                    var message = new ArraySegment<byte>(buffer[..read.Count]);
                    foreach (var other in sockets.Values) other.Writer.TryWrite(message);
                }
            }
            catch (WebSocketException) { }
            sockets.TryRemove(id, out _);
            outbox.Writer.TryComplete();
            await writer.ContinueWith(_ => { });
            return Results.Empty;
        });
        await app.RunAsync();
        return 0;
    }

    private static async Task<Result> BaselineAsync(int participants, int seconds, int qps)
    {
        var port = FreePort();
        var self = typeof(LiveBench).Assembly.Location;
        using var server = Process.Start(new ProcessStartInfo("dotnet", [self, "live-baseline", port.ToString()]) { UseShellExecute = false, RedirectStandardOutput = true })!;
        await WaitHealthyAsync($"http://127.0.0.1:{port}");
        var arrivals = new Arrivals(participants);
        var clients = new ConcurrentBag<ClientWebSocket>();
        using var stop = new CancellationTokenSource();
        var connectErrors = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, participants), new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (index, ct) =>
        {
            var socket = new ClientWebSocket();
            try
            {
                await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), ct);
                clients.Add(socket);
                _ = ReceiveLoopAsync(socket, arrivals, stop.Token);
            }
            catch (Exception)
            {
                Interlocked.Increment(ref connectErrors);
            }
        });
        Console.WriteLine($"baseline: {clients.Count} WebSocket clients connected ({connectErrors} errors)");
        var sender = clients.First();
        var cpuBefore = CpuTime(server.Id);
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.StartNew();
        var padding = new string('问', 60);
        for (long i = 1; i <= (long)seconds * qps; i++)
        {
            var due = TimeSpan.FromSeconds((double)(i - 1) / qps) - started.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
            arrivals.Sent(i);
            // About the size of a question event: an id, a text and a few fields.
            var json = JsonSerializer.Serialize(new { id = i, text = $"bench {i} {padding}", author = "基准测试", votes = 0, status = "visible", pinned = false, seq = i });
            await sender.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        var cpu = (CpuTime(server.Id) - cpuBefore) / started.Elapsed.TotalSeconds * 100;
        var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalSeconds / started.Elapsed.TotalSeconds * 100;
        await Task.Delay(3000);
        var rss = PeakRssMb(server.Id);
        var (p50, p95, p99, f50, f99, delivered) = arrivals.Summary();
        stop.Cancel();
        foreach (var c in clients) c.Abort();
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
        return new Result(p50, p95, p99, f50, f99, delivered, cpu, rss, clientCpu);
    }

    private static async Task ReceiveLoopAsync(ClientWebSocket socket, Arrivals arrivals, CancellationToken ct)
    {
        var buffer = new byte[8192];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var read = await socket.ReceiveAsync(buffer, ct);
                if (read.MessageType == WebSocketMessageType.Close) return;
                using var json = JsonDocument.Parse(buffer.AsMemory(0, read.Count));
                arrivals.Received(json.RootElement.GetProperty("id").GetInt64());
            }
        }
        catch (Exception) { }
    }

    // --- The hub ------------------------------------------------------------------------------------------------------

    private static async Task<Result> HubAsync(string root, int participants, int seconds, int qps, int vps)
    {
        var port = FreePort();
        var work = Directory.CreateTempSubdirectory("engagement-live-bench-").FullName;
        var web = Path.Combine(root, "src", "Engagement.Web");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(web, "bin", configuration, "net10.0", "Engagement.Web.dll"), "--urls", $"http://127.0.0.1:{port}", "--contentRoot", web])
        {
            WorkingDirectory = web, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Engagement"] = $"Data Source={Path.Combine(work, "live.db")}";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Demo__Enabled"] = "true";
        start.Environment["Demo__Residents"] = "3";
        start.Environment["Demo__Password"] = "Bench-password-2026";
        start.Environment["Security__SecureCookies"] = "false";
        // A Production site refuses to start without these (docs/DEPLOYMENT.md); the benches reach it on loopback.
        start.Environment["Site__PublicUrl"] = "http://127.0.0.1";
        start.Environment["AllowedHosts"] = "127.0.0.1;localhost";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Outbox__PickupDirectory"] = Path.Combine(work, "mail");
        using var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine("site: " + line); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            await WaitHealthyAsync($"http://127.0.0.1:{port}");
            var arrivals = new Arrivals(participants);
            var connections = new HubConnection[participants];
            long updates = 0;
            var connectErrors = 0;
            var connectTimer = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, participants), new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (i, ct) =>
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl($"http://127.0.0.1:{port}/hubs/live", o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
                    .Build();
                connection.On<Question>("QuestionAdded", q => { if (q.Text.StartsWith("bench ")) arrivals.Received(BenchId(q.Text)); });
                connection.On<Question>("QuestionUpdated", _ => Interlocked.Increment(ref updates));
                try
                {
                    await connection.StartAsync(ct);
                    await connection.InvokeAsync<JsonElement>("Join", "DEMO26", $"参与者{i:D4}", ct);
                    connections[i] = connection;
                }
                catch (Exception error)
                {
                    if (Interlocked.Increment(ref connectErrors) <= 3) Console.Error.WriteLine($"connect {i}: {error.Message}");
                }
            });
            var connectSeconds = connectTimer.Elapsed.TotalSeconds;
            var live = connections.Where(c => c is not null).ToArray();
            Console.WriteLine($"hub: {live.Length} participants joined DEMO26 in {connectSeconds:F1} s ({connectErrors} errors)");

            var random = new Random(26);
            var recent = new List<long>();
            var voted = new HashSet<(int, long)>();
            long votesCast = 0, voteErrors = 0;
            var pendingCalls = new List<Task>();
            updates = 0;
            var cpuBefore = CpuTime(server.Id);
            var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.StartNew();
            var padding = new string('问', 60);
            long asked = 0;
            var ticks = (long)seconds * vps;
            var questionsPerVote = (double)qps / vps;
            // One loop at the vote rate; every (vps/qps)-th tick also asks a question.
            for (long tick = 0; tick < ticks; tick++)
            {
                var due = TimeSpan.FromSeconds((double)tick / vps) - started.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due);
                if (asked < (long)Math.Floor(tick * questionsPerVote) + 1 && asked < (long)seconds * qps)
                {
                    var n = ++asked;
                    var asker = live[random.Next(live.Length)];
                    arrivals.Sent(n);
                    pendingCalls.Add(asker.InvokeAsync<JsonElement>("Ask", $"bench {n} {padding}").ContinueWith(t =>
                    {
                        if (t.IsCompletedSuccessfully) lock (recent) { recent.Add(t.Result.GetProperty("id").GetInt64()); if (recent.Count > 10) recent.RemoveAt(0); }
                        else Console.Error.WriteLine("ask failed: " + t.Exception?.GetBaseException().Message);
                    }));
                }
                long target;
                lock (recent) { if (recent.Count == 0) continue; target = recent[random.Next(recent.Count)]; }
                var who = random.Next(live.Length);
                if (!voted.Add((who, target))) continue;
                pendingCalls.Add(live[who].InvokeAsync("Vote", target).ContinueWith(t =>
                {
                    if (t.IsCompletedSuccessfully) Interlocked.Increment(ref votesCast); else Interlocked.Increment(ref voteErrors);
                }));
            }
            var elapsed = started.Elapsed.TotalSeconds;
            var cpu = (CpuTime(server.Id) - cpuBefore) / elapsed * 100;
            var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalSeconds / elapsed * 100;
            await Task.WhenAll(pendingCalls);
            await Task.Delay(3000);
            var rss = PeakRssMb(server.Id);
            var (p50, p95, p99, f50, f99, delivered) = arrivals.Summary();
            var updatesPerClientSecond = (double)Interlocked.Read(ref updates) / live.Length / elapsed;
            await Parallel.ForEachAsync(live, new ParallelOptions { MaxDegreeOfParallelism = 100 }, async (c, _) => await c.DisposeAsync());
            return new Result(p50, p95, p99, f50, f99, delivered, cpu, rss, clientCpu, connectSeconds, connectErrors, votesCast, voteErrors, updatesPerClientSecond);
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    // --- Measuring the server process ---------------------------------------------------------------------------------

    /// <summary>User plus system CPU seconds of a process, from /proc.</summary>
    private static double CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in clock ticks (100 Hz)
    }

    private static long PeakRssMb(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:")).Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).FirstOrDefault();

    private static async Task WaitHealthyAsync(string baseUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 240; i++)
        {
            try
            {
                if ((await http.GetAsync(baseUrl + "/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception) { }
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"{baseUrl} did not start");
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
