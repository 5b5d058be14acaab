using System.Net;
using System.Net.Http.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Messages;
using Engagement.Web.Platform.Outbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Platform;

/// <summary>A site whose client is on this machine (so /metrics answers) and whose gauges refresh every 0.3 s.</summary>
public class TelemetrySqliteFactory : SqliteFactory
{
    protected override IPAddress? RemoteAddress => IPAddress.Loopback;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Metrics:RefreshSeconds", "0.3");
        builder.UseSetting("Metrics:ScrapeCacheMilliseconds", "0");
    }
}

public class TelemetryPostgresFactory : PostgresFactory
{
    protected override IPAddress? RemoteAddress => IPAddress.Loopback;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Metrics:RefreshSeconds", "0.3");
        builder.UseSetting("Metrics:ScrapeCacheMilliseconds", "0");
    }
}

/// <summary>
/// The site's own figures on /metrics, as Prometheus reads them: a comment and a message move the counters by
/// exactly one, and the per-unit gauges agree with what the database holds, by the staff pages' own rules.
/// </summary>
public abstract class TelemetryTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    private const string Housing = "区住房保障房屋管理局";

    /// <summary>Scrapes until <paramref name="settled"/> holds (the gauges are refreshed in the background), at most 20 s.</summary>
    private async Task<IReadOnlyList<MetricSample>> ScrapeUntilAsync(Func<IReadOnlyList<MetricSample>, bool> settled)
    {
        var client = factory.CreateClient();
        var samples = await client.ScrapeAsync();
        for (var i = 0; i < 100 && !settled(samples); i++)
        {
            await Task.Delay(200);
            samples = await client.ScrapeAsync();
        }
        return samples;
    }

    [Fact]
    public async Task A_comment_and_a_message_show_on_metrics_as_counts_and_as_the_units_queues()
    {
        var decision = await factory.WithDbAsync(db => db.Set<Decision>().Where(d => d.Title.Contains("加装电梯")).Select(d => d.Id).SingleAsync());
        Task<int> PendingAsync() => factory.WithDbAsync(db => db.Set<Comment>().CountAsync(c => c.Status == CommentStatus.Pending && c.Decision!.Unit!.Name == Housing));
        Task<int> OpenMessagesAsync() => factory.WithDbAsync(db => db.Set<Message>().CountAsync(m =>
            (m.Status == MessageStatus.Received || m.Status == MessageStatus.Assigned) && m.Unit!.Name == Housing));
        Task<int> UnsentAsync() => factory.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.SentAt == null && m.Attempts < 10));

        var before = await factory.CreateClient().ScrapeAsync();
        var received = before.Value("engagement_comments_received_total", ("channel", "online"));
        var messages = before.Value("engagement_messages_received_total");
        var published = before.Value("engagement_comments_published_total", ("channel", "online"));
        Assert.NotNull(received);
        Assert.NotNull(messages);
        Assert.NotNull(published);

        var resident = await factory.CreateClient().AsAsync("resident2@example.org");
        var comment = await resident.PostAsJsonAsync($"/api/v1/decisions/{decision}/comments", new { text = "加装电梯的费用分摊，一楼住户是否可以少出一些？请在细则里写清楚。" });
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        var commentId = (await comment.JsonAsync()).GetProperty("id").GetInt64();
        var message = await resident.PostAsJsonAsync("/api/v1/messages", new { text = "我们小区加装电梯的申请材料交到哪里？", decisionId = decision });
        Assert.Equal(HttpStatusCode.Created, message.StatusCode);

        var pending = await PendingAsync();
        var open = await OpenMessagesAsync();
        var after = await ScrapeUntilAsync(s => s.Value("engagement_moderation_queue", ("unit", Housing)) == pending
            && s.Value("engagement_messages_open", ("unit", Housing)) == open);
        Assert.Equal(received + 1, after.Value("engagement_comments_received_total", ("channel", "online")));
        Assert.Equal(messages + 1, after.Value("engagement_messages_received_total"));
        Assert.Equal(pending, after.Value("engagement_moderation_queue", ("unit", Housing)));
        Assert.Equal(open, after.Value("engagement_messages_open", ("unit", Housing)));

        // The oldest waiting comment's age, in the site's time; the demo has some waiting since last week, past one working day.
        var oldest = await factory.WithDbAsync(db => db.Set<Comment>().Where(c => c.Status == CommentStatus.Pending && c.Decision!.Unit!.Name == Housing)
            .Select(c => c.CreatedAt).ToListAsync());
        Assert.Equal((factory.Clock.GetUtcNow() - oldest.Min()).TotalSeconds, after.Value("engagement_moderation_oldest_age_seconds", ("unit", Housing))!.Value, 0);
        Assert.True(after.Value("engagement_moderation_overdue", ("unit", Housing)) >= 1);
        Assert.True(after.Value("engagement_moderation_overdue", ("unit", Housing)) < pending, "the comment just posted is not overdue");
        // Every unit has its series, at zero when nothing waits.
        Assert.Equal(0, after.Value("engagement_moderation_queue", ("unit", "虹桥街道")));
        // Requests are measured by ASP.NET Core's own instruments.
        Assert.Contains(after, s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.GetValueOrDefault("http_route") == "/api/v1/decisions/{id:int}/comments");

        // The unit's staff approve it: published counts one more, the queue one less, and the author's e-mail goes out.
        var sent = after.Value("engagement_emails_sent_total");
        var staff = await factory.CreateClient().AsAsync("housing@example.org");
        Assert.True((await staff.PostAsync($"/api/v1/moderation/comments/{commentId}/approve", null)).IsSuccessStatusCode);
        var approved = await ScrapeUntilAsync(s => s.Value("engagement_moderation_queue", ("unit", Housing)) == pending - 1
            && s.Value("engagement_emails_sent_total") > sent);
        Assert.True(published + 1 == approved.Value("engagement_comments_published_total", ("channel", "online")),
            string.Join('\n', approved.Where(s => s.Name.StartsWith("engagement_c") || s.Name.StartsWith("engagement_e")).Select(s => $"{s.Name} {string.Join(',', s.Labels)} {s.Value}")) + $"\ncount {approved.Count}");
        Assert.Equal(pending - 1, approved.Value("engagement_moderation_queue", ("unit", Housing)));
        Assert.True(approved.Value("engagement_emails_sent_total") > sent);

        var unsent = await UnsentAsync();
        var outbox = await ScrapeUntilAsync(s => s.Value("engagement_outbox_backlog") == unsent);
        Assert.Equal(unsent, outbox.Value("engagement_outbox_backlog"));
    }

    [Fact]
    public async Task Messages_and_reports_due_are_counted_per_unit_by_the_working_day_calendar()
    {
        var today = Engagement.Web.Platform.Time.ChinaTime.Today(factory.Clock);
        var expected = await factory.WithDbAsync(async db => (await db.Set<Message>()
                .Where(m => m.Status == MessageStatus.Received || m.Status == MessageStatus.Assigned)
                .Select(m => new { Unit = m.Unit == null ? "未分派" : m.Unit.Name, m.DueOn }).ToListAsync())
            .GroupBy(m => m.Unit).ToDictionary(g => g.Key, g => (Open: g.Count(), Today: g.Count(m => m.DueOn == today), Overdue: g.Count(m => m.DueOn < today))));
        var reports = await factory.WithServiceAsync<Engagement.Web.Features.Adoption.AdoptionService, Engagement.Web.Features.Adoption.DashboardView>(a => a.DashboardAsync(null));
        var samples = await ScrapeUntilAsync(s => expected.All(e => s.Value("engagement_messages_open", ("unit", e.Key)) == e.Value.Open));

        Assert.Contains(expected, e => e.Value.Overdue > 0); // the demo has an overdue message
        foreach (var (unit, counts) in expected)
        {
            Assert.Equal(counts.Open, samples.Value("engagement_messages_open", ("unit", unit)));
            Assert.Equal(counts.Today, samples.Value("engagement_messages_due_today", ("unit", unit)));
            Assert.Equal(counts.Overdue, samples.Value("engagement_messages_overdue", ("unit", unit)));
        }
        var unpublished = reports.Rows.Where(r => r.PublishedAt is null).ToList();
        Assert.NotEmpty(unpublished);
        foreach (var unit in unpublished.Select(r => r.Unit).Distinct())
        {
            Assert.Equal(unpublished.Count(r => r.Unit == unit && r.WorkingDaysLeft is >= 0 and <= 3), samples.Value("engagement_reports_due_soon", ("unit", unit)));
            Assert.Equal(unpublished.Count(r => r.Unit == unit && r.IsOverdue), samples.Value("engagement_reports_overdue", ("unit", unit)));
        }
    }

    [Fact]
    public async Task Metrics_are_never_cached_and_are_refused_outside_the_allowed_networks()
    {
        var response = await factory.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);

        // The same site seen from an address on the internet.
        await using var outside = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddSingleton<IStartupFilter>(new FromAddress(IPAddress.Parse("203.0.113.7")))));
        foreach (var path in new[] { "/metrics", "/METRICS", "/metrics/", "/Metrics?format=openmetrics" })
        {
            var refused = await outside.CreateClient().GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.DoesNotContain("engagement_", await refused.Content.ReadAsStringAsync());
        }

        // On this machine, but through a proxy (or claiming to be): the address a client writes is never believed.
        foreach (var (header, value) in new[] { ("X-Forwarded-For", "127.0.0.1"), ("X-Original-For", "127.0.0.1:5000"), ("Forwarded", "for=127.0.0.1") })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.TryAddWithoutValidation(header, value);
            Assert.Equal(HttpStatusCode.Forbidden, (await factory.CreateClient().SendAsync(request)).StatusCode);
        }

        // An operator who names the monitoring network lets it in, and nobody else.
        await using var monitored = factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Metrics:AllowedNetworks", "127.0.0.1, 203.0.113.0/24");
            b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter>(new FromAddress(IPAddress.Parse("203.0.113.7"))));
        });
        Assert.Equal(HttpStatusCode.OK, (await monitored.CreateClient().GetAsync("/metrics")).StatusCode);
        await using var neighbour = factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Metrics:AllowedNetworks", "127.0.0.1, 203.0.113.0/24");
            b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter>(new FromAddress(IPAddress.Parse("203.0.114.7"))));
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await neighbour.CreateClient().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Mail_that_keeps_failing_shows_as_waiting_since_it_was_queued_and_mail_given_up_is_counted()
    {
        // The mail server has refused a message for two hours (its next try is later), and another ran out of tries.
        var now = factory.Clock.GetUtcNow();
        await factory.WithDbAsync(async db =>
        {
            db.Add(new OutboxMessage
            {
                Id = Guid.NewGuid(), To = "someone@example.org", Subject = "提醒", Body = "…", CreatedAt = now.AddHours(-2),
                NextAttemptAt = now.AddMinutes(10), Attempts = 6, LastError = "550 refused",
            });
            db.Add(new OutboxMessage
            {
                Id = Guid.NewGuid(), To = "nobody@example.org", Subject = "提醒", Body = "…", CreatedAt = now.AddDays(-1),
                NextAttemptAt = now.AddHours(-1), Attempts = 10, LastError = "550 refused",
            });
            return await db.SaveChangesAsync();
        });
        var oldest = await factory.WithDbAsync(db => db.Set<OutboxMessage>().Where(m => m.SentAt == null && m.Attempts < 10).OrderBy(m => m.CreatedAt).Select(m => m.CreatedAt).FirstAsync());
        var givenUp = await factory.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.SentAt == null && m.Attempts >= 10));
        var samples = await ScrapeUntilAsync(s => s.Value("engagement_outbox_given_up") == givenUp);
        Assert.True(givenUp >= 1);
        Assert.Equal(givenUp, samples.Value("engagement_outbox_given_up"));
        Assert.Equal((now - oldest).TotalSeconds, samples.Value("engagement_outbox_oldest_age_seconds")!.Value, 0);
        Assert.True(samples.Value("engagement_outbox_oldest_age_seconds") >= 7200);
    }

    private sealed class FromAddress(IPAddress address) : IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            // Runs after the factory's own address filter, so this address is the one the site sees.
            Microsoft.AspNetCore.Builder.UseExtensions.Use(app, (context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public sealed class TelemetryTests_Sqlite(TelemetrySqliteFactory factory) : TelemetryTests<TelemetrySqliteFactory>(factory);
public sealed class TelemetryTests_Postgres(TelemetryPostgresFactory factory) : TelemetryTests<TelemetryPostgresFactory>(factory);
