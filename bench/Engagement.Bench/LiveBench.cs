// Live Q&A for thousands (issue 22): the site's hub against a bare WebSocket broadcast, facing the same clients and the
// same work, each side on its own core.
//   dotnet run -c Release --project bench/Engagement.Bench -- live
// Settings (environment):
//   BENCH_PARTICIPANTS  participants per run, a list (1000,2000,5000)
//   BENCH_WORKLOADS     realistic (1 question and 20 votes a second) and/or storm (20 and 200): realistic,storm
//   BENCH_SERVERS       baseline, hub (version 2, frames, as the pages use it), hub-msgpack (version 2 over the
//                       MessagePack protocol) and/or hub1 (version 1): baseline,hub
//   BENCH_SITE          a published site's folder to run instead of the build output, e.g. one published ReadyToRun
//   BENCH_SECONDS       seconds of workload per run (20)
//   BENCH_SERVER_ENV    extra environment for the site, e.g. "DOTNET_gcServer=0;DOTNET_GCgen0size=0x2000000"
//   BENCH_REDIS         a Redis address: run the hub as two instances sharing the backplane, clients split between them
// Each run starts the server pinned to core 1 (taskset) and a client process pinned to core 0: every participant is a
// raw ClientWebSocket (the hub's participants speak SignalR's JSON protocol over it: handshake, record separator,
// invocations and completions; or its MessagePack protocol: length-prefixed binary messages), so both servers face
// equally light clients. The bench reports, per run, latency from
// ask to arrival (every participant x every question), fan-out time, join time, every question delivered, messages
// per client per second, and the server's CPU per delivered event and memory per participant.
using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MessagePack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Engagement.Bench;

public static class LiveBench
{
    private const byte RecordSeparator = 0x1e;
    private static readonly string Padding = new('问', 60);

    private static int Setting(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : fallback;

    private static string[] List(string name, string fallback) =>
        (Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed record Workload(string Name, int Qps, int Vps);

    private static readonly Workload[] Workloads = [new("realistic", 1, 20), new("storm", 20, 200)];

    /// <summary>What one run measured: the client process's report plus the server's CPU and memory.</summary>
    private sealed record Run(string Server, int Participants, string Workload, ClientReport Clients, double ServerCpuSeconds, double Seconds,
        long IdleRssMb, long JoinedRssMb, long PeakRssMb)
    {
        public double CpuPercent => ServerCpuSeconds / Seconds * 100;
        public double MicrosPerEvent => Clients.EventsDelivered == 0 ? double.NaN : ServerCpuSeconds * 1e6 / Clients.EventsDelivered;
        public double KbPerParticipant => (JoinedRssMb - IdleRssMb) * 1024.0 / Participants;
    }

    public static async Task<int> RunAsync(string root)
    {
        var seconds = Setting("BENCH_SECONDS", 20);
        var sizes = List("BENCH_PARTICIPANTS", "1000,2000,5000").Select(int.Parse).ToArray();
        var workloads = List("BENCH_WORKLOADS", "realistic,storm").Select(n => Workloads.Single(w => w.Name == n)).ToArray();
        var servers = List("BENCH_SERVERS", "baseline,hub");
        var redis = Environment.GetEnvironmentVariable("BENCH_REDIS");
        Console.WriteLine($"live Q&A bench: {string.Join("/", sizes)} participants, {string.Join(" and ", workloads.Select(w => $"{w.Name} ({w.Qps} q/s, {w.Vps} votes/s)"))}, {seconds} s each, servers {string.Join(", ", servers)}{(redis is null ? "" : ", two hub instances over Redis " + redis)}");
        var runs = new List<Run>();
        foreach (var size in sizes)
        {
            foreach (var workload in workloads)
            {
                foreach (var server in servers)
                {
                    var run = await MeasureAsync(root, server, size, workload, seconds, redis);
                    runs.Add(run);
                    Console.WriteLine($"  {Row(run)}");
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("| participants | workload | server | p50 | p95 | p99 | fan-out p99 | delivered | join (all) | join p99 | messages a second to the busiest client (average / most in one second) | server CPU | server µs per delivered event | server memory per participant | clients' CPU |");
        Console.WriteLine("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs) Console.WriteLine(Row(run));

        var failed = false;
        Console.WriteLine();
        foreach (var group in runs.GroupBy(r => (r.Participants, r.Workload)))
        foreach (var hub in group.Where(r => r.Server != "baseline"))
        {
            var bare = group.FirstOrDefault(r => r.Server == "baseline");
            var limitMs = group.Key.Workload == "storm" ? 1000 : 250;
            var checks = new List<(string, bool)>
            {
                ($"every question delivered ({hub.Clients.Delivered:P2})", hub.Clients.Delivered >= 0.99999),
                ($"no client sent more than 10 messages a second on average ({hub.Clients.MostMessagesPerSecondOnAverage:F1}; most arriving within one second, bunched in transit: {hub.Clients.MostMessagesPerSecond})", hub.Clients.MostMessagesPerSecondOnAverage <= 10),
                ($"join: all in under 10 s ({hub.Clients.JoinSeconds:F1} s), each within 2 s (slowest {hub.Clients.JoinMaxMs:F0} ms)", hub.Clients.JoinSeconds < 10 && hub.Clients.JoinMaxMs <= 2000),
                ($"memory under 80 KB per participant ({hub.KbPerParticipant:F0} KB)", hub.KbPerParticipant < 80),
            };
            if (group.Key.Participants == 5000) checks.Insert(0, ($"p99 under {limitMs} ms ({hub.Clients.P99:F0} ms)", hub.Clients.P99 < limitMs));
            if (bare is not null) checks.Add(($"CPU per delivered event at most 1.5 x the bare broadcast's ({hub.MicrosPerEvent:F1} against {bare.MicrosPerEvent:F1} µs: {hub.MicrosPerEvent / bare.MicrosPerEvent:F2} x)", hub.MicrosPerEvent <= 1.5 * bare.MicrosPerEvent));
            foreach (var (what, ok) in checks)
            {
                Console.WriteLine($"{group.Key.Participants} {group.Key.Workload}, {Name(hub.Server)}: {(ok ? "met" : "MISSED")}: {what}");
                failed |= !ok;
            }
        }
        return failed ? 1 : 0;
    }

    private static string Row(Run r) =>
        $"| {r.Participants:N0} | {r.Workload} | {Name(r.Server)} | {r.Clients.P50:F0} ms | {r.Clients.P95:F0} ms | {r.Clients.P99:F0} ms | {r.Clients.FanOutP99:F0} ms | {r.Clients.Delivered:P1} | "
        + $"{r.Clients.JoinSeconds:F1} s | {r.Clients.JoinP99Ms:F0} ms | {r.Clients.MostMessagesPerSecondOnAverage:F1} / {r.Clients.MostMessagesPerSecond} | {r.CpuPercent:F0}% | {r.MicrosPerEvent:F1} | {r.KbPerParticipant:F0} KB | {r.Clients.ClientCpuPercent:F0}% |";

    private static string Name(string server) => server switch
    {
        "baseline" => "bare WebSocket broadcast",
        "hub" => "hub, version 2 (frames)",
        "hub-msgpack" => "hub, version 2 (frames), MessagePack",
        "hub1" => "hub, version 1 (event per change)",
        _ => server,
    };

    // --- One run: a server on core 1, the clients on core 0 ------------------------------------------------------------

    private static async Task<Run> MeasureAsync(string root, string server, int participants, Workload workload, int seconds, string? redis)
    {
        var work = Directory.CreateTempSubdirectory("engagement-live-bench-").FullName;
        var servers = new List<Process>();
        try
        {
            var urls = new List<string>();
            if (server == "baseline")
            {
                var port = FreePort();
                servers.Add(Start(Pinned("1", "dotnet", typeof(LiveBench).Assembly.Location, "live-baseline", port.ToString(CultureInfo.InvariantCulture))));
                urls.Add($"ws://127.0.0.1:{port}/ws");
                await WaitHealthyAsync($"http://127.0.0.1:{port}");
            }
            else
            {
                var instances = redis is null ? 1 : 2;
                var prefix = "engagement-bench-" + Guid.NewGuid().ToString("N")[..8]; // shared by both instances
                for (var i = 0; i < instances; i++)
                {
                    var port = FreePort();
                    servers.Add(Start(SiteStart(root, work, port, redis, prefix, first: i == 0, messagePack: server == "hub-msgpack")));
                    urls.Add($"ws://127.0.0.1:{port}/hubs/live" + (server == "hub1" ? "" : "?version=2"));
                    // The second instance starts on the database the first has created and seeded.
                    await WaitHealthyAsync($"http://127.0.0.1:{port}");
                }
            }
            await Task.Delay(1000);
            var idle = servers.Sum(s => RssMb(s.Id));

            var kind = server switch { "baseline" => "baseline", "hub" => "hub2", "hub-msgpack" => "hub2-msgpack", _ => "hub1" };
            var joinCpuBefore = servers.Sum(s => CpuSeconds(s.Id));
            var clients = Start(Pinned("0", "dotnet", typeof(LiveBench).Assembly.Location, "live-clients", kind, string.Join(',', urls),
                participants.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture),
                workload.Qps.ToString(CultureInfo.InvariantCulture), workload.Vps.ToString(CultureInfo.InvariantCulture)), stdin: true);
            string? line;
            while ((line = await clients.StandardOutput.ReadLineAsync()) is not null && line != "READY") Console.WriteLine("    " + line);
            if (line is null) throw new InvalidOperationException("the client process ended before its participants joined");
            Console.WriteLine($"    server CPU while they joined: {servers.Sum(s => CpuSeconds(s.Id)) - joinCpuBefore:F1} s");
            // Memory with everyone in, after a moment to settle; then the workload, its CPU measured on the server.
            await Task.Delay(2000);
            var joined = servers.Sum(s => RssMb(s.Id));
            var cpuBefore = servers.Sum(s => CpuSeconds(s.Id));
            var timer = Stopwatch.StartNew();
            await clients.StandardInput.WriteLineAsync("GO");
            await clients.StandardInput.FlushAsync();
            ClientReport? report = null;
            while ((line = await clients.StandardOutput.ReadLineAsync()) is not null)
            {
                if (line.StartsWith("RESULT ", StringComparison.Ordinal)) report = JsonSerializer.Deserialize<ClientReport>(line[7..]);
                else Console.WriteLine("    " + line);
            }
            var cpu = servers.Sum(s => CpuSeconds(s.Id)) - cpuBefore;
            var elapsed = timer.Elapsed.TotalSeconds;
            var peak = servers.Sum(s => PeakRssMb(s.Id));
            await clients.WaitForExitAsync();
            return new Run(server, participants, workload.Name, report ?? throw new InvalidOperationException("no result from the client process"), cpu, elapsed, idle, joined, peak);
        }
        finally
        {
            foreach (var s in servers)
            {
                if (!s.HasExited) s.Kill(entireProcessTree: true);
                await s.WaitForExitAsync();
            }
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static ProcessStartInfo Pinned(string core, string file, params string[] args)
    {
        var start = new ProcessStartInfo("taskset", ["-c", core, file, .. args]) { UseShellExecute = false };
        return start;
    }

    private static ProcessStartInfo SiteStart(string root, string work, int port, string? redis, string prefix, bool first, bool messagePack)
    {
        var web = Path.Combine(root, "src", "Engagement.Web");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(web, "bin", configuration, "net10.0", "Engagement.Web.dll");
        // A published site (dotnet publish, as docs/DEPLOYMENT.md deploys it) runs from its own folder.
        if (Environment.GetEnvironmentVariable("BENCH_SITE") is { Length: > 0 } published)
        {
            web = Path.GetFullPath(published);
            dll = Path.Combine(web, "Engagement.Web.dll");
        }
        var start = Pinned("1", "dotnet", dll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", web);
        start.WorkingDirectory = web;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Engagement"] = $"Data Source={Path.Combine(work, "live.db")}";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Demo__Enabled"] = first ? "true" : "false";
        start.Environment["Demo__Residents"] = "3";
        start.Environment["Demo__Password"] = "Bench-password-2026";
        start.Environment["Security__SecureCookies"] = "false";
        // A Production site refuses to start without these (docs/DEPLOYMENT.md); the benches reach it on loopback.
        start.Environment["Site__PublicUrl"] = "http://127.0.0.1";
        start.Environment["AllowedHosts"] = "127.0.0.1;localhost";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Outbox__PickupDirectory"] = Path.Combine(work, "mail");
        // Random askers among thousands stay far below a person's limits; the bench's own askers are spread evenly.
        start.Environment["Live__QuestionsPerMinute"] = "60";
        if (messagePack) start.Environment["Live__MessagePack"] = "true"; // off by default: offered for the hub-msgpack runs
        if (redis is not null)
        {
            start.Environment["Redis__Configuration"] = redis;
            start.Environment["Redis__ChannelPrefix"] = prefix;
        }
        foreach (var pair in (Environment.GetEnvironmentVariable("BENCH_SERVER_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            start.Environment[name] = value;
        }
        return start;
    }

    private static Process Start(ProcessStartInfo start, bool stdin = false)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = stdin;
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine("    ! " + line); };
        process.BeginErrorReadLine();
        if (!stdin)
        {
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
        }
        return process;
    }

    // --- The baseline: a bare WebSocket broadcast doing the hub's work naively -----------------------------------------

    /// <summary>
    /// The baseline server: a question a client sends goes to every connected client as one message; votes are counted
    /// and, once a second, the questions with the most new votes (as many as the hub would send) go to everyone as one
    /// message each. No framework between the socket and the broadcast.
    /// </summary>
    public static async Task<int> BaselineServerAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.UseWebSockets();
        var sockets = new ConcurrentDictionary<Guid, System.Threading.Channels.Channel<ReadOnlyMemory<byte>>>();
        var questions = new ConcurrentDictionary<long, (string Text, int Votes)>();
        var dirty = new ConcurrentDictionary<long, int>();
        long seq = 0;
        void Broadcast(object payload)
        {
            ReadOnlyMemory<byte> message = JsonSerializer.SerializeToUtf8Bytes(payload);
            foreach (var other in sockets.Values) other.Writer.TryWrite(message);
        }
        object Question(long id, string text, int votes) =>
            new { id, text, author = "基准测试", votes, status = "visible", answer = (string?)null, pinned = false, askedAt = DateTimeOffset.UtcNow, seq = Interlocked.Increment(ref seq), answeredLive = false };
        _ = Task.Run(async () =>
        {
            // The hub's vote rule: once a second, at most 5 questions, fewer for a large audience (5,000 messages a second).
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync())
            {
                var limit = Math.Clamp(5000 / Math.Max(1, sockets.Count), 1, 5);
                foreach (var (id, _) in dirty.ToArray().OrderByDescending(d => d.Value).Take(limit))
                {
                    dirty.TryRemove(id, out _);
                    if (questions.TryGetValue(id, out var q)) Broadcast(Question(id, q.Text, q.Votes));
                }
            }
        });
        app.MapGet("/healthz", () => "ok");
        app.Map("/ws", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest) return Results.BadRequest();
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var id = Guid.NewGuid();
            var outbox = System.Threading.Channels.Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new() { SingleReader = true });
            sockets[id] = outbox;
            var writer = Task.Run(async () =>
            {
                await foreach (var message in outbox.Reader.ReadAllAsync())
                {
                    await socket.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);
                }
            });
            var buffer = new byte[1024];
            try
            {
                while (true)
                {
                    var read = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (read.MessageType == WebSocketMessageType.Close) break;
                    using var json = JsonDocument.Parse(buffer.AsMemory(0, read.Count));
                    var root = json.RootElement;
                    var q = root.GetProperty("id").GetInt64();
                    if (root.GetProperty("type").GetString() == "ask")
                    {
                        var text = root.GetProperty("text").GetString()!;
                        questions[q] = (text, 0);
                        Broadcast(Question(q, text, 0));
                    }
                    else
                    {
                        questions.AddOrUpdate(q, _ => ("", 1), (_, v) => (v.Text, v.Votes + 1));
                        dirty.AddOrUpdate(q, 1, (_, n) => n + 1);
                    }
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

    // --- The clients: their own process, on their own core -------------------------------------------------------------

    public sealed record ClientReport(double P50, double P95, double P99, double FanOutP99, double Delivered, long EventsDelivered, long Questions,
        double JoinSeconds, double JoinP99Ms, double JoinMaxMs, int JoinErrors, int MostMessagesPerSecond, double MostMessagesPerSecondOnAverage, long VotesCast, long VotesRefused, double ClientCpuPercent);

    /// <summary>
    /// The client process: connects every participant, says READY, waits for GO on stdin, runs the workload, waits for
    /// the last deliveries and prints RESULT with its figures as JSON.
    /// </summary>
    public static async Task<int> ClientsAsync(string kind, string urls, int participants, int seconds, int qps, int vps)
    {
        ThreadPool.SetMinThreads(64, 64);
        var addresses = urls.Split(',');
        var hub = kind != "baseline";
        var messagePack = kind.EndsWith("-msgpack", StringComparison.Ordinal);
        var stats = new Stats(participants, (long)seconds * qps, seconds + 30);
        // A site that has been running: its code is compiled and its caches warm before the session's crowd arrives.
        var warm = new Client[Math.Min(100, participants)];
        await Parallel.ForEachAsync(Enumerable.Range(0, warm.Length), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (i, _) =>
        {
            warm[i] = new Client(-1, hub, messagePack, stats);
            await warm[i].ConnectAsync(new Uri(addresses[i % addresses.Length]));
            if (hub) await warm[i].InvokeAsync("Join", "DEMO26", $"预热{i:D3}");
        });
        foreach (var w in warm) w.Abort();
        await Task.Delay(1000);
        var clients = new Client[participants];
        var joinMs = new double[participants];
        var joinErrors = 0;
        var joinTimer = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, participants), new ParallelOptions { MaxDegreeOfParallelism = 200 }, async (i, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            var client = new Client(i, hub, messagePack, stats);
            try
            {
                await client.ConnectAsync(new Uri(addresses[i % addresses.Length]));
                if (hub && Environment.GetEnvironmentVariable("BENCH_CONNECT_ONLY") != "1") await client.InvokeAsync("Join", "DEMO26", $"参与者{i:D4}");
                clients[i] = client;
            }
            catch (Exception error)
            {
                if (Interlocked.Increment(ref joinErrors) <= 3) Console.WriteLine($"join {i}: {error.GetBaseException().Message}");
            }
            joinMs[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        var joinSeconds = joinTimer.Elapsed.TotalSeconds;
        var live = clients.Where(c => c is not null).ToArray();
        Array.Sort(joinMs);
        Console.WriteLine($"{live.Length} participants joined in {joinSeconds:F1} s ({joinErrors} errors)");
        using var stop = new CancellationTokenSource();
        // The hub expects a message from every client within 30 s: a ping every 10 s, as SignalR's clients send.
        var pings = hub ? Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
            while (await timer.WaitForNextTickAsync(stop.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result))
            {
                foreach (var c in live) await c.PingAsync();
            }
        }) : Task.CompletedTask;
        Console.WriteLine("READY");
        if (Console.ReadLine() != "GO") return 1;

        stats.Start();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var random = new Random(26);
        var recent = new List<(long Id, int Asker)>();
        var voted = new HashSet<(int, long)>();
        long votesCast = 0, votesRefused = 0;
        var calls = new List<Task>();
        var run = Stopwatch.StartNew();
        long asked = 0;
        var ticks = (long)seconds * vps;
        for (long tick = 0; tick < ticks; tick++)
        {
            var due = TimeSpan.FromSeconds((double)tick / vps) - run.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
            if (asked < tick * qps / vps + 1 && asked < (long)seconds * qps)
            {
                var n = ++asked;
                var asker = live[(int)((n * 7919) % live.Length)];
                stats.Asked(n);
                calls.Add(Task.Run(async () =>
                {
                    var id = await asker.AskAsync(n, $"bench {n} {Padding}");
                    lock (recent)
                    {
                        recent.Add((id, asker.Index));
                        if (recent.Count > 10) recent.RemoveAt(0);
                    }
                }));
            }
            (long Id, int Asker) target;
            lock (recent)
            {
                if (recent.Count == 0) continue;
                target = recent[random.Next(recent.Count)];
            }
            var who = random.Next(live.Length);
            if (live[who].Index == target.Asker || !voted.Add((who, target.Id))) continue;
            var voter = live[who];
            calls.Add(Task.Run(async () =>
            {
                try
                {
                    await voter.VoteAsync(target.Id);
                    Interlocked.Increment(ref votesCast);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref votesRefused);
                }
            }));
        }
        try
        {
            await Task.WhenAll(calls);
        }
        catch (Exception error)
        {
            Console.WriteLine("a call failed: " + error.GetBaseException().Message);
        }
        // The last fan-out, and the last vote counts (pushed once a second), arrive.
        await Task.Delay(3000);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / run.Elapsed.TotalSeconds * 100;
        stop.Cancel();
        await pings;
        var report = stats.Report(live.Length, seconds) with
        {
            JoinSeconds = joinSeconds, JoinP99Ms = Pct(joinMs, 99), JoinMaxMs = joinMs.Length == 0 ? 0 : joinMs[^1], JoinErrors = joinErrors,
            VotesCast = votesCast, VotesRefused = votesRefused, ClientCpuPercent = cpu,
        };
        Console.WriteLine($"{votesCast} votes cast, {votesRefused} refused; {report.Questions} questions asked");
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(report));
        foreach (var c in live) c.Abort();
        return 0;
    }

    private static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Every arrival, in a millisecond histogram (no allocation per arrival), and the messages each client got each second.</summary>
    private sealed class Stats(int clients, long questions, int seconds)
    {
        private readonly long[] _histogram = new long[120_000];
        private readonly long[] _askedAt = new long[questions + 2];
        private readonly long[] _lastArrival = new long[questions + 2];
        private readonly int[] _messages = new int[clients * seconds];
        private readonly int[] _total = new int[clients];
        private long _arrivals, _events, _start;

        public void Start() => _start = Stopwatch.GetTimestamp();

        public void Asked(long n) => _askedAt[n] = Stopwatch.GetTimestamp();

        public void Arrived(long n, long now)
        {
            if (n <= 0 || n >= _askedAt.Length || _askedAt[n] == 0) return;
            var ms = (int)Math.Min(_histogram.Length - 1, (now - _askedAt[n]) * 1000 / Stopwatch.Frequency);
            Interlocked.Increment(ref _histogram[ms]);
            Interlocked.Increment(ref _arrivals);
            long last;
            while ((last = Volatile.Read(ref _lastArrival[n])) < now && Interlocked.CompareExchange(ref _lastArrival[n], now, last) != last) { }
        }

        public void Event() => Interlocked.Increment(ref _events);

        public void Message(int client, long now)
        {
            if (_start == 0 || client < 0) return;
            var second = (int)((now - _start) / Stopwatch.Frequency);
            if (second < seconds) Interlocked.Increment(ref _messages[client * seconds + second]);
            Interlocked.Increment(ref _total[client]);
        }

        /// <summary>The busiest client's messages a second over the workload's own seconds (not the wait after it).</summary>
        private double BusiestAverage(int workloadSeconds)
        {
            var most = 0L;
            for (var c = 0; c < _total.Length; c++)
            {
                long sum = 0;
                for (var t = 0; t < Math.Min(workloadSeconds, seconds); t++) sum += _messages[c * seconds + t];
                most = Math.Max(most, sum);
            }
            return (double)most / Math.Max(1, workloadSeconds);
        }

        public ClientReport Report(int connected, double workloadSeconds)
        {
            double Percentile(double p)
            {
                var rank = (long)Math.Ceiling(p / 100 * _arrivals);
                long seen = 0;
                for (var ms = 0; ms < _histogram.Length; ms++)
                {
                    seen += _histogram[ms];
                    if (seen >= rank) return ms;
                }
                return double.NaN;
            }
            var asked = _askedAt.Count(t => t != 0);
            var fanOut = Enumerable.Range(0, _askedAt.Length).Where(n => _askedAt[n] != 0 && _lastArrival[n] != 0)
                .Select(n => (double)(_lastArrival[n] - _askedAt[n]) * 1000 / Stopwatch.Frequency).Order().ToArray();
            return new ClientReport(Percentile(50), Percentile(95), Percentile(99), Pct(fanOut, 99), asked == 0 ? 0 : (double)_arrivals / ((long)asked * connected),
                _events, asked, 0, 0, 0, 0, _messages.Length == 0 ? 0 : _messages.Max(), BusiestAverage((int)workloadSeconds), 0, 0, 0);
        }
    }

    /// <summary>
    /// One participant on a raw WebSocket. For the hub it speaks SignalR's JSON protocol: the handshake, messages ended
    /// by the record separator, invocations with an id answered by completions, and the server's events (version 1) or
    /// frames (version 2); or its MessagePack protocol: the same messages as binary arrays, each after its length. For
    /// the baseline, one JSON message is one event.
    /// </summary>
    private sealed class Client(int index, bool hub, bool messagePack, Stats stats)
    {
        private readonly ClientWebSocket _socket = new();
        private readonly SemaphoreSlim _send = new(1, 1);
        private ConcurrentDictionary<string, TaskCompletionSource<JsonElement>>? _calls;
        private byte[] _pending = [];
        private int _pendingLength;
        private long _nextCall;

        public int Index => index;

        public async Task ConnectAsync(Uri uri)
        {
            _socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await _socket.ConnectAsync(uri, CancellationToken.None);
            if (hub)
            {
                await SendAsync(messagePack ? "{\"protocol\":\"messagepack\",\"version\":1}\u001e"u8.ToArray() : "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), binary: false);
                var buffer = new byte[256];
                var read = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (read.Count < 3 || buffer[0] != (byte)'{' || buffer[1] != (byte)'}') throw new InvalidOperationException("handshake refused: " + Encoding.UTF8.GetString(buffer, 0, read.Count));
            }
            _ = ReceiveLoopAsync();
        }

        public async Task<JsonElement> InvokeAsync(string target, params object[] arguments)
        {
            var id = Interlocked.Increment(ref _nextCall).ToString(CultureInfo.InvariantCulture);
            var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            (_calls ??= new())[id] = completion;
            if (messagePack) await SendAsync(Binary.Invocation(id, target, arguments));
            else await SendAsync([.. JsonSerializer.SerializeToUtf8Bytes(new { type = 1, invocationId = id, target, arguments }), RecordSeparator]);
            var result = await completion.Task.WaitAsync(TimeSpan.FromSeconds(60));
            _calls.TryRemove(id, out _);
            return result;
        }

        public async Task<long> AskAsync(long n, string text)
        {
            if (hub) return (await InvokeAsync("Ask", text)).GetProperty("id").GetInt64();
            await SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "ask", id = n, text }));
            return n;
        }

        public async Task VoteAsync(long id)
        {
            if (hub) await InvokeAsync("Vote", id);
            else await SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "vote", id }));
        }

        public Task PingAsync() => SendAsync(messagePack ? Binary.Ping : "{\"type\":6}\u001e"u8.ToArray());

        /// <summary>Sends one message: binary for the MessagePack protocol (but for its handshake, always text), text otherwise.</summary>
        private async Task SendAsync(byte[] message, bool binary = true)
        {
            await _send.WaitAsync();
            try
            {
                await _socket.SendAsync(message, binary && messagePack ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                _send.Release();
            }
        }

        public void Abort() => _socket.Abort();

        private async Task ReceiveLoopAsync()
        {
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var read = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (read.MessageType == WebSocketMessageType.Close) return;
                    var now = Stopwatch.GetTimestamp();
                    var data = buffer.AsMemory(0, read.Count);
                    if (!read.EndOfMessage || _pendingLength > 0)
                    {
                        Append(data.Span);
                        if (!read.EndOfMessage) continue;
                        data = _pending.AsMemory(0, _pendingLength);
                    }
                    if (hub && messagePack) BinaryMessages(data, now);
                    else if (hub) HubMessages(data.Span, now);
                    else Baseline(data.Span, now);
                    _pendingLength = 0;
                }
            }
            catch (Exception) when (_socket.State != WebSocketState.Open) { }
        }

        private void Append(ReadOnlySpan<byte> data)
        {
            if (_pending.Length < _pendingLength + data.Length) Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + data.Length));
            data.CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += data.Length;
        }

        private void Baseline(ReadOnlySpan<byte> data, long now)
        {
            stats.Message(index, now);
            Scan(data, now);
        }

        private void HubMessages(ReadOnlySpan<byte> data, long now)
        {
            while (data.Length > 0)
            {
                var end = data.IndexOf(RecordSeparator);
                if (end < 0) return;
                var message = data[..end];
                // SignalR's JSON protocol writes "type" first: an answer to this client's call is read whole (rare);
                // what the server pushes (type 1) is scanned like the baseline's messages; pings are skipped.
                if (message.StartsWith("{\"type\":3"u8))
                {
                    var reader = new Utf8JsonReader(message);
                    using var json = JsonDocument.ParseValue(ref reader);
                    Complete(json.RootElement);
                }
                else if (message.StartsWith("{\"type\":1"u8))
                {
                    stats.Message(index, now);
                    Scan(message, now);
                }
                data = data[(end + 1)..];
            }
        }

        /// <summary>
        /// Reads a pushed message as one pass of a JSON reader, as light for the hub's messages as for the baseline's:
        /// every question ("text" starting with "bench ") is an arrival, and every event counts once (a frame's items
        /// each, a version 1 event or a baseline message as one).
        /// </summary>
        private void Scan(ReadOnlySpan<byte> message, long now)
        {
            var reader = new Utf8JsonReader(message);
            var items = 0;
            var added = false; // the event being read adds a question (hub: QuestionAdded; baseline: a question with no votes yet)
            long candidate = 0;
            var votes = -1;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && candidate != 0)
                {
                    if (hub ? added : votes == 0) stats.Arrived(candidate, now);
                    candidate = 0;
                    votes = -1;
                }
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                if (reader.ValueTextEquals("event"u8) || reader.ValueTextEquals("target"u8))
                {
                    if (reader.ValueTextEquals("event"u8)) items++;
                    reader.Read();
                    added = reader.ValueTextEquals("QuestionAdded"u8);
                }
                else if (reader.ValueTextEquals("votes"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number) votes = reader.GetInt32();
                else if (reader.ValueTextEquals("text"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    var value = reader.ValueSpan;
                    if (value.StartsWith("bench "u8)) candidate = BenchId(value[6..]);
                }
            }
            for (var i = 0; i < Math.Max(1, items); i++) stats.Event();
        }

        /// <summary>
        /// MessagePack messages, each after its length (a variable-length integer): an answer to this client's call is
        /// read whole (rare); what the server pushes (type 1) is walked once like the JSON messages; pings are skipped.
        /// </summary>
        private void BinaryMessages(ReadOnlyMemory<byte> data, long now)
        {
            while (data.Length > 0)
            {
                var (length, header) = Binary.Length(data.Span);
                var message = data.Slice(header, length);
                data = data[(header + length)..];
                var reader = new MessagePackReader(message);
                reader.ReadArrayHeader();
                var type = reader.ReadInt32();
                if (type == 3)
                {
                    reader.Skip(); // headers
                    var id = reader.ReadString()!;
                    var kind = reader.ReadInt32(); // 1 error, 2 no result, 3 a result
                    if (_calls is null || !_calls.TryGetValue(id, out var call)) continue;
                    if (kind == 1) call.TrySetException(new InvalidOperationException(reader.ReadString()));
                    else if (kind == 2) call.TrySetResult(default);
                    else
                    {
                        var rest = reader.Sequence.Slice(reader.Position);
                        using var json = JsonDocument.Parse(MessagePackSerializer.ConvertToJson(rest));
                        call.TrySetResult(json.RootElement.Clone());
                    }
                }
                else if (type == 1)
                {
                    stats.Message(index, now);
                    reader.Skip(); // headers
                    reader.Skip(); // no invocation id
                    var scan = new BinaryScan { Added = reader.TryReadStringSpan(out var target) && target.SequenceEqual("QuestionAdded"u8) };
                    Walk(ref reader, ref scan, now);
                    for (var i = 0; i < Math.Max(1, scan.Items); i++) stats.Event();
                }
            }
        }

        private struct BinaryScan
        {
            public int Items;
            public bool Added;
        }

        /// <summary>One pass over a MessagePack value, reading what <see cref="Scan"/> reads from JSON.</summary>
        private void Walk(ref MessagePackReader reader, ref BinaryScan scan, long now)
        {
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Array:
                    for (var n = reader.ReadArrayHeader(); n > 0; n--) Walk(ref reader, ref scan, now);
                    break;
                case MessagePackType.Map:
                    long candidate = 0;
                    var votes = -1;
                    for (var n = reader.ReadMapHeader(); n > 0; n--)
                    {
                        if (!reader.TryReadStringSpan(out var key)) { reader.Skip(); reader.Skip(); continue; }
                        if (key.SequenceEqual("event"u8))
                        {
                            scan.Items++;
                            scan.Added = reader.TryReadStringSpan(out var name) && name.SequenceEqual("QuestionAdded"u8);
                        }
                        else if (key.SequenceEqual("votes"u8) && reader.NextMessagePackType == MessagePackType.Integer) votes = reader.ReadInt32();
                        else if (key.SequenceEqual("text"u8) && reader.NextMessagePackType == MessagePackType.String)
                        {
                            if (reader.TryReadStringSpan(out var text) && text.StartsWith("bench "u8)) candidate = BenchId(text[6..]);
                        }
                        else Walk(ref reader, ref scan, now);
                    }
                    if (candidate != 0 && scan.Added) stats.Arrived(candidate, now);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        private void Complete(JsonElement message)
        {
            if (_calls is not null && _calls.TryGetValue(message.GetProperty("invocationId").GetString()!, out var call))
            {
                if (message.TryGetProperty("error", out var error)) call.TrySetException(new InvalidOperationException(error.GetString()));
                else call.TrySetResult(message.TryGetProperty("result", out var result) ? result.Clone() : default);
            }
        }
    }

    /// <summary>SignalR's MessagePack protocol, as much as the bench's clients speak: invocations, pings and lengths.</summary>
    private static class Binary
    {
        public static readonly byte[] Ping = Framed((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(1);
            w.Write(6);
        });

        /// <summary>[1, headers, invocation id, target, arguments, stream ids], after its length.</summary>
        public static byte[] Invocation(string id, string target, object[] arguments) => Framed((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(6);
            w.Write(1);
            w.WriteMapHeader(0);
            w.Write(id);
            w.Write(target);
            w.WriteArrayHeader(arguments.Length);
            foreach (var argument in arguments)
            {
                switch (argument)
                {
                    case string text: w.Write(text); break;
                    case long number: w.Write(number); break;
                    case int number: w.Write(number); break;
                    default: throw new ArgumentException("the bench sends strings and numbers only", nameof(arguments));
                }
            }
            w.WriteArrayHeader(0);
        });

        private delegate void Writing(ref MessagePackWriter writer);

        private static byte[] Framed(Writing write)
        {
            var body = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(body);
            write(ref writer);
            writer.Flush();
            var message = new List<byte>(body.WrittenCount + 5);
            var length = (uint)body.WrittenCount;
            do
            {
                var b = (byte)(length & 0x7f);
                length >>= 7;
                message.Add(length > 0 ? (byte)(b | 0x80) : b);
            }
            while (length > 0);
            message.AddRange(body.WrittenSpan);
            return [.. message];
        }

        /// <summary>A message's length and the bytes its length took (seven bits a byte, low bits first).</summary>
        public static (int Length, int Header) Length(ReadOnlySpan<byte> data)
        {
            int length = 0, shift = 0, i = 0;
            byte b;
            do
            {
                b = data[i++];
                length |= (b & 0x7f) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            return (length, i);
        }
    }

    /// <summary>The number at the start of what follows "bench " (UTF-8).</summary>
    private static long BenchId(ReadOnlySpan<byte> rest)
    {
        long n = 0;
        foreach (var b in rest)
        {
            if (b is < (byte)'0' or > (byte)'9') break;
            n = n * 10 + (b - '0');
        }
        return n;
    }

    // --- Measuring the server process ---------------------------------------------------------------------------------

    /// <summary>User plus system CPU seconds of a process and its children, from /proc (taskset execs the server in place).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0; // utime, stime at 100 Hz
    }

    private static long RssMb(int pid) => Status(pid, "VmRSS:");

    private static long PeakRssMb(int pid) => Status(pid, "VmHWM:");

    private static long Status(int pid, string field) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(field, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault();

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
