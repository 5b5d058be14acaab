using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Live;
using Engagement.Web.Features.Messages;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Npgsql;

namespace Engagement.IntegrationTests.Faults;

/// <summary>
/// The site is killed (SIGKILL) while 100 residents post comments, messages, live questions and registrations and staff
/// approve comments; started again on the same database, every request that had been answered with success is there,
/// nothing is there twice, the registrations still add up, and the outbox sends every e-mail it owed, once.
/// </summary>
public abstract class KillTests : IAsyncLifetime
{
    private const string Password = "Kill-test-2026";
    private const int Residents = 100;
    private readonly string _work = Directory.CreateTempSubdirectory("engagement-kill-").FullName;
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    protected abstract DatabaseProvider Provider { get; }
    protected abstract string ConnectionString { get; }
    protected string Work => _work;

    private string Pickup => Path.Combine(_work, "mail");

    private Dictionary<string, string> Settings => new()
    {
        ["Database__Provider"] = Provider.ToString(),
        ["ConnectionStrings__Engagement"] = ConnectionString,
        ["Demo__Enabled"] = "true",
        ["Demo__Residents"] = Residents.ToString(),
        ["Demo__Password"] = Password,
        ["RateLimiting__Enabled"] = "false",
        ["Outbox__PickupDirectory"] = Pickup,
        ["Adoption__RemindersEnabled"] = "false",
        ["Meetings__MaintenanceEnabled"] = "false",
        ["OpenMonth__RemindersEnabled"] = "false",
        ["Messages__RemindersEnabled"] = "false",
    };

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private EngagementDbContext Database() => Provider == DatabaseProvider.Sqlite
        ? new SqliteEngagementDbContext(new DbContextOptionsBuilder<SqliteEngagementDbContext>().UseSqlite(ConnectionString).Options)
        : new PostgresEngagementDbContext(new DbContextOptionsBuilder<PostgresEngagementDbContext>().UseNpgsql(ConnectionString).Options);

    private sealed record Done(string Kind, long Id, string Text);

    [Fact]
    public async Task Everything_answered_before_a_kill_is_there_after_the_restart_once()
    {
        // The first run never gets to send: whatever is queued is owed when the kill comes.
        await using var site = new SiteProcess(Settings);
        await site.StartAsync(new Dictionary<string, string> { ["Outbox__PollSeconds"] = "3600" });

        using var anonymous = new HttpClient { BaseAddress = new Uri(site.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var decisions = await (await anonymous.GetAsync("/api/v1/decisions?status=open")).Content.ReadFromJsonAsync<JsonElement>();
        var open = decisions.EnumerateArray().First(d => d.GetProperty("title").GetString()!.Contains("加装电梯")).GetProperty("id").GetInt32();
        var events = await (await anonymous.GetAsync("/api/v1/events")).Content.ReadFromJsonAsync<JsonElement>();
        var eventIds = events.EnumerateArray().Select(e => e.GetProperty("id").GetInt32()).ToArray();

        async Task<HttpClient> SignedInAsync(string email)
        {
            var client = new HttpClient { BaseAddress = new Uri(site.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
            var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
            login.EnsureSuccessStatusCode();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
            return client;
        }
        var residents = new HttpClient[Residents];
        await Parallel.ForEachAsync(Enumerable.Range(0, Residents), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => residents[i] = await SignedInAsync($"resident{i + 1}@example.org"));
        var staff = await SignedInAsync("housing@example.org");

        var done = new ConcurrentBag<Done>();
        var pending = new ConcurrentQueue<long>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Residents).Select(i => Task.Run(async () =>
        {
            var client = residents[i];
            HubConnection? live = null;
            try
            {
                if (i < 20)
                {
                    var token = client.DefaultRequestHeaders.Authorization!.Parameter;
                    live = new HubConnectionBuilder().WithUrl($"{site.BaseUrl}/hubs/live", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token)).Build();
                    await live.StartAsync(stop.Token);
                    await live.InvokeAsync<JoinResult>("Join", LiveDemo.JoinCode, null, stop.Token);
                }
                var registered = false;
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var text = $"居民{i}的第{n}条意见 {_tag}";
                    switch ((n + i) % 4) // each resident starts with a different kind, so all four are in flight from the start
                    {
                        case 0:
                            var comment = await client.PostAsJsonAsync($"/api/v1/decisions/{open}/comments", new { text }, stop.Token);
                            if (comment.StatusCode == HttpStatusCode.Created)
                            {
                                var id = (await comment.Content.ReadFromJsonAsync<JsonElement>(stop.Token)).GetProperty("id").GetInt64();
                                done.Add(new("comment", id, text));
                                pending.Enqueue(id);
                            }
                            break;
                        case 1:
                            var message = await client.PostAsJsonAsync("/api/v1/messages", new { text, decisionId = open }, stop.Token);
                            if (message.StatusCode == HttpStatusCode.Created) done.Add(new("message", (await message.Content.ReadFromJsonAsync<JsonElement>(stop.Token)).GetProperty("id").GetInt64(), text));
                            break;
                        case 2 when live is not null && n < 16:
                            var asked = await live.InvokeAsync<AskResult>("Ask", text, stop.Token);
                            done.Add(new("question", asked.Id, text));
                            break;
                        case 3 when !registered:
                            var registration = await client.PostAsJsonAsync($"/api/v1/events/{eventIds[i % eventIds.Length]}/registrations", new { companions = 0 }, stop.Token);
                            if (registration.IsSuccessStatusCode) { registered = true; done.Add(new("registration", i, "")); }
                            break;
                    }
                }
            }
            catch (Exception) when (stop.IsCancellationRequested || true)
            {
                // The kill: a request in flight has no answer, and so no claim to have been stored.
            }
            finally
            {
                if (live is not null) await live.DisposeAsync();
            }
        })).ToList();
        var moderator = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    if (!pending.TryDequeue(out var id)) { await Task.Delay(10, stop.Token); continue; }
                    var approved = await staff.PostAsync($"/api/v1/moderation/comments/{id}/approve", null, stop.Token);
                    if (approved.StatusCode == HttpStatusCode.NoContent) done.Add(new("approved", id, ""));
                }
            }
            catch (Exception) when (stop.IsCancellationRequested || true) { }
        });

        // Kill once every kind of request has been answered at least a few times (a loaded machine is slower), in
        // the middle of the traffic that goes on.
        var ready = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < ready && !(done.Count(d => d.Kind == "comment") > 20
            && new[] { "approved", "message", "question", "registration" }.All(k => done.Any(d => d.Kind == k))))
        {
            await Task.Delay(100);
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        site.Kill();
        await stop.CancelAsync();
        await Task.WhenAll([.. load, moderator]);
        var answered = done.ToList();
        Assert.True(answered.Count(d => d.Kind == "comment") > 20, $"too little happened before the kill: {answered.Count} answers\n{site.Log}");
        var counts = string.Join(", ", answered.GroupBy(d => d.Kind).Select(g => $"{g.Key} {g.Count()}"));
        foreach (var kind in new[] { "approved", "message", "question", "registration" })
        {
            Assert.True(answered.Any(d => d.Kind == kind), $"no {kind} was answered before the kill ({counts})");
        }

        // Started again on the same database; this time the outbox sends.
        await using var again = new SiteProcess(Settings);
        await again.StartAsync(new Dictionary<string, string> { ["Outbox__PollSeconds"] = "0.2" });
        await using var db = Database();
        var comments = await db.Set<Comment>().AsNoTracking().Where(c => c.Text.EndsWith(_tag)).Select(c => new { c.Id, c.Text, c.Status }).ToListAsync();
        var messages = await db.Set<Message>().AsNoTracking().Where(m => m.Text.EndsWith(_tag)).Select(m => new { m.Id, m.Text }).ToListAsync();
        var questions = await db.Set<LiveQuestion>().AsNoTracking().Where(q => q.Text.EndsWith(_tag)).Select(q => new { q.Id, q.Text }).ToListAsync();

        Assert.All(answered.Where(d => d.Kind == "comment"), d => Assert.Contains(comments, c => c.Id == d.Id && c.Text == d.Text));
        Assert.All(answered.Where(d => d.Kind == "message"), d => Assert.Contains(messages, m => m.Id == d.Id && m.Text == d.Text));
        Assert.All(answered.Where(d => d.Kind == "question"), d => Assert.Contains(questions, q => q.Id == d.Id && q.Text == d.Text));
        Assert.All(answered.Where(d => d.Kind == "approved"), d => Assert.Equal(CommentStatus.Published, comments.Single(c => c.Id == d.Id).Status));
        // Nothing twice: every text is unique, so a repeat would show.
        Assert.Equal(comments.Count, comments.Select(c => c.Text).Distinct().Count());
        Assert.Equal(messages.Count, messages.Select(m => m.Text).Distinct().Count());
        Assert.Equal(questions.Count, questions.Select(q => q.Text).Distinct().Count());

        // Registrations: each answered one is there, and each event's confirmed places match its registrations.
        var residentIds = await db.Users.Where(u => u.Email!.StartsWith("resident")).ToDictionaryAsync(u => u.Email!, u => u.Id);
        var registrations = await db.Set<EventRegistration>().AsNoTracking().Select(r => new { r.UserId, r.EventId, r.Status, r.Companions }).ToListAsync();
        foreach (var r in answered.Where(d => d.Kind == "registration"))
        {
            var user = residentIds[$"resident{r.Id + 1}@example.org"];
            Assert.Single(registrations, x => x.UserId == user && x.EventId == eventIds[r.Id % eventIds.Length]);
        }
        foreach (var e in await db.Set<OpenEvent>().AsNoTracking().ToListAsync())
        {
            var confirmed = registrations.Where(r => r.EventId == e.Id && r.Status == RegistrationStatus.Confirmed).Sum(r => 1 + r.Companions);
            Assert.Equal(confirmed, e.Confirmed);
            Assert.True(e.Confirmed <= e.Capacity);
        }

        // The e-mails owed for approved comments go out after the restart, each once.
        var owed = answered.Where(d => d.Kind == "approved").Select(d => comments.Single(c => c.Id == d.Id).Text).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        Dictionary<string, int> sent;
        do
        {
            await Task.Delay(500);
            sent = new Dictionary<string, int>();
            foreach (var file in Directory.Exists(Pickup) ? Directory.EnumerateFiles(Pickup, "*.eml") : [])
            {
                var body = (await MimeMessage.LoadAsync(file)).TextBody ?? "";
                foreach (var text in owed.Where(body.Contains)) sent[text] = sent.GetValueOrDefault(text) + 1;
            }
        }
        while (sent.Count < owed.Count && DateTime.UtcNow < deadline);
        Assert.Equal(owed.Count, sent.Count);
        Assert.All(sent, s => Assert.Equal(1, s.Value));
    }
}

/// <summary>Tests that load the whole machine (two real sites, 100 residents each) run alone, after the others, so they neither slow nor are slowed by timing-sensitive tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "runs alone";
}

[Collection(RunsAlone.Name)]
public sealed class KillTests_Sqlite : KillTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override string ConnectionString => $"Data Source={Path.Combine(Work, "site.db")}";
}

[Collection(RunsAlone.Name)]
public sealed class KillTests_Postgres : KillTests
{
    private readonly string _database = $"engagement_kill_{Guid.NewGuid():N}";

    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Database = _database }.ToString();

    public override Task InitializeAsync() => PostgresServer.CreateDatabaseAsync(_database);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(_database);
    }
}
