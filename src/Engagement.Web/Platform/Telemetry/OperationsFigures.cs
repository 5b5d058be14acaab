using Engagement.Web.Features.Adoption;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Live;
using Engagement.Web.Features.Messages;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Platform.Telemetry;

/// <summary>One unit's queues and deadlines, as the gauges report them.</summary>
public sealed record UnitFigures(string Unit, int ModerationPending, double ModerationOldestSeconds, int ModerationOverdue,
    int MessagesOpen, int MessagesDueToday, int MessagesOverdue, int ReportsDueSoon, int ReportsOverdue);

public sealed record OperationsSnapshot(DateTimeOffset? TakenAt, IReadOnlyList<UnitFigures> Units, int OutboxBacklog, double OutboxOldestSeconds,
    int OutboxGivenUp, int LiveSessionsOpen)
{
    public static readonly OperationsSnapshot Empty = new(null, [], 0, 0, 0, 0);
}

/// <summary>
/// The latest <see cref="OperationsSnapshot"/>: a handful of queries every <c>Metrics:RefreshSeconds</c> (default 30),
/// whatever the number of units and however often Prometheus scrapes. Ages are in business time (the site's clock),
/// deadlines by the working-day calendar, with the same rules the staff pages use.
/// </summary>
public sealed class OperationsFigures(TimeProvider clock)
{
    /// <summary>The label of messages on the general board not yet assigned to a unit.</summary>
    public const string Unassigned = "未分派";

    private volatile OperationsSnapshot _current = OperationsSnapshot.Empty;
    // Before the first refresh, the age counts from start-up: figures that never come are stale, not young.
    private long _refreshedAt = System.Diagnostics.Stopwatch.GetTimestamp();

    public OperationsSnapshot Current => _current;

    /// <summary>Seconds since the last successful refresh (real time), or since start-up when none has succeeded yet.</summary>
    public double AgeSeconds => System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref _refreshedAt)).TotalSeconds;

    public async Task RefreshAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<EngagementDbContext>();
        var calendar = await services.GetRequiredService<CalendarService>().CurrentAsync(ct);
        var now = clock.GetUtcNow();
        var today = ChinaTime.Today(clock);

        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        var names = units.ToDictionary(u => u.Id, u => u.Name);
        string Name(int? id) => id is { } unit && names.TryGetValue(unit, out var name) ? name : Unassigned;

        // What waits is few (hundreds at most): read the dates once and count in memory, by the pages' own rules.
        var pending = await db.Set<Comment>().AsNoTracking().Where(c => c.Status == CommentStatus.Pending)
            .Select(c => new { c.Decision!.UnitId, c.CreatedAt }).ToListAsync(ct);
        var open = await db.Set<Message>().AsNoTracking().Where(m => m.Status == MessageStatus.Received || m.Status == MessageStatus.Assigned)
            .Select(m => new { m.UnitId, m.DueOn }).ToListAsync(ct);
        var reports = (await services.GetRequiredService<AdoptionService>().DashboardAsync(null, ct)).Rows.Where(r => r.PublishedAt is null).ToList();
        // The same window as the reminders the unit receives (Adoption:ReminderWorkingDaysBefore, default 3).
        var soon = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdoptionOptions>>().Value.ReminderWorkingDaysBefore;

        var pendingByUnit = pending.ToLookup(c => Name(c.UnitId));
        var openByUnit = open.ToLookup(m => Name(m.UnitId));
        var reportsByUnit = reports.ToLookup(r => r.Unit);
        var rows = new List<UnitFigures>();
        foreach (var unit in units.Select(u => u.Name).Append(Unassigned).Distinct())
        {
            var waiting = pendingByUnit[unit].ToList();
            var messages = openByUnit[unit].ToList();
            var due = reportsByUnit[unit].ToList();
            rows.Add(new UnitFigures(unit,
                waiting.Count,
                waiting.Count == 0 ? 0 : Math.Max(0, (now - waiting.Min(c => c.CreatedAt)).TotalSeconds),
                waiting.Count(c => Comments.IsModerationOverdue(calendar, c.CreatedAt, today)),
                messages.Count,
                messages.Count(m => m.DueOn == today),
                messages.Count(m => MessageRules.IsOverdue(today, m.DueOn)),
                due.Count(r => r.WorkingDaysLeft is { } left && left >= 0 && left <= soon),
                due.Count(r => r.IsOverdue)));
        }

        var max = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Outbox.OutboxOptions>>().Value.MaxAttempts;
        var unsent = db.OutboxMessages.AsNoTracking().Where(m => m.SentAt == null && m.Attempts < max);
        var backlog = await unsent.CountAsync(ct);
        // Since it was queued, not since its next try: while the mail server refuses, each retry moves the next try on,
        // but the wait of the person expecting the mail keeps growing.
        var oldest = await unsent.OrderBy(m => m.CreatedAt).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(ct);
        var givenUp = await db.OutboxMessages.CountAsync(m => m.SentAt == null && m.Attempts >= max, ct);
        var sessions = await db.Set<LiveSession>().CountAsync(s => s.Status == LiveSessionStatus.Open, ct);

        _current = new OperationsSnapshot(now, rows, backlog, oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0, givenUp, sessions);
        Interlocked.Exchange(ref _refreshedAt, System.Diagnostics.Stopwatch.GetTimestamp());
    }
}

/// <summary>Keeps <see cref="OperationsFigures"/> fresh: at start-up, then every <c>Metrics:RefreshSeconds</c>; a failed round is logged and tried at the next.</summary>
public sealed class OperationsFiguresRefresher(IServiceScopeFactory scopes, OperationsFigures figures, IConfiguration configuration,
    ILogger<OperationsFiguresRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Polling runs on real time; the figures themselves use the site's clock.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.2, configuration.GetValue("Metrics:RefreshSeconds", 30.0))));
        do
        {
            try
            {
                using var scope = scopes.CreateScope();
                await figures.RefreshAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // engagement.figures.age keeps growing, so a dashboard shows the gauges are stale.
                logger.LogWarning(error, "The operations figures could not be refreshed; will try again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
