using Engagement.Web.Features.Adoption;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.Messages;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Statistics;

public sealed record UnitMessageFigures(int? UnitId, string? Unit, string? UnitEn, int Received, int Replied, int OnTime, double? OnTimeRate, double? MedianWorkingDays);

/// <summary>
/// Online messages of a year: received, replied (a petition transferred with a note counts as replied), replied on
/// time (by the 1- or 5-working-day due date), the on-time rate (on time ÷ replied), the median working days to reply.
/// </summary>
public sealed record MessageFigures(int Received, int Replied, int OnTime, double? OnTimeRate, double? MedianWorkingDays, int Open, int Overdue,
    IReadOnlyList<UnitMessageFigures> ByUnit);

public sealed record MonthFigures(int Month, int Consultations, int Comments);

/// <summary>Outcomes in the adoption reports first published in the year (latest version of each); rate = (adopted + partly) ÷ all.</summary>
public sealed record AdoptionFigures(int Reports, int Adopted, int PartlyAdopted, int NotAdopted, int OutOfScope, double? AdoptionRate);

public sealed record MeetingFigures(int Meetings, int WithRepresentatives, int? Target, IReadOnlyList<TrackerRow> ByUnit);

public sealed record OpenMonthFigures(int Events, int Places, int Registered, int Attended, double? AttendanceRate);

/// <summary>
/// The handling figures of a year (2023 §二十), for the district or one unit. Every page and the API show this record.
/// Immutable, so a cached snapshot is shared as it is rather than copied through a serializer.
/// </summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed record StatisticsFigures(int Year, int? UnitId, string? Unit, string? UnitEn, MessageFigures Messages, IReadOnlyList<MonthFigures> Months,
    AdoptionFigures Adoption, MeetingFigures Meetings, OpenMonthFigures OpenMonth);

/// <summary>
/// The one source of the published figures (数据同源): the statistics page, its CSV, <c>/api/v1/statistics</c>, the home
/// page and the unit pages all call <see cref="ForAsync"/>, so they cannot disagree.
/// </summary>
public sealed class StatisticsService(EngagementDbContext db, TopicPollService meetings, AdoptionService adoption, TimeProvider clock,
    Microsoft.Extensions.Caching.Hybrid.HybridCache snapshots)
{
    public const int FirstYear = 2000;
    public const int LastYear = 2100;

    public static bool IsValidYear(int year) => year is >= FirstYear and <= LastYear;

    public async Task<StatisticsFigures> ForAsync(int year, int? unitId = null, CancellationToken ct = default)
    {
        var from = ChinaTime.FromChina(new DateTime(year, 1, 1)).ToUniversalTime();
        var to = ChinaTime.FromChina(new DateTime(year + 1, 1, 1)).ToUniversalTime();
        var unit = unitId is null ? null : await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => new { u.Name, u.NameEn }).SingleOrDefaultAsync(ct);
        return new StatisticsFigures(year, unitId, unit?.Name, unit?.NameEn,
            await MessagesAsync(from, to, unitId, ct),
            await MonthsAsync(from, to, unitId, ct),
            await AdoptionAsync(from, to, unitId, ct),
            await MeetingsAsync(year, unitId, ct),
            await OpenMonthAsync(from, to, unitId, ct));
    }

    /// <summary>
    /// The district's figures for a year as a snapshot kept between requests (the home page shows them to every
    /// visitor, signed in or not), evicted by the summary tag whenever something they count changes.
    /// </summary>
    public async Task<StatisticsFigures> SnapshotAsync(int year, CancellationToken ct = default) =>
        await snapshots.GetOrCreateAsync($"statistics:{year}", (Service: this, Year: year),
            static async (state, token) => await state.Service.ForAsync(state.Year, ct: token),
            tags: [Platform.Web.PublicPagePolicy.Summary], cancellationToken: ct);

    public Task<List<Admin.Unit>> UnitsAsync(CancellationToken ct = default) => db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name).ToListAsync(ct);

    private async Task<MessageFigures> MessagesAsync(DateTimeOffset from, DateTimeOffset to, int? unitId, CancellationToken ct)
    {
        var today = ChinaTime.Today(clock);
        var rows = await db.Set<Message>().AsNoTracking()
            .Where(m => m.ReceivedAt >= from && m.ReceivedAt < to && (unitId == null || m.UnitId == unitId))
            .Select(m => new { m.UnitId, Unit = m.Unit!.Name, UnitEn = m.Unit.NameEn, m.Status, m.RepliedOnTime, m.WorkingDaysToReply, m.DueOn })
            .ToListAsync(ct);
        static bool IsReplied(MessageStatus s) => s is MessageStatus.Replied or MessageStatus.Transferred;
        var byUnit = rows.GroupBy(r => (r.UnitId, r.Unit, r.UnitEn))
            .Select(g =>
            {
                var replied = g.Where(r => IsReplied(r.Status)).ToList();
                var onTime = replied.Count(r => r.RepliedOnTime == true);
                return new UnitMessageFigures(g.Key.UnitId, g.Key.Unit, g.Key.UnitEn, g.Count(), replied.Count, onTime, Rate(onTime, replied.Count),
                    MessageRules.Median(replied.Where(r => r.WorkingDaysToReply is not null).Select(r => r.WorkingDaysToReply!.Value)));
            })
            .OrderBy(u => u.UnitId is null).ThenByDescending(u => u.Received).ThenBy(u => u.Unit).ToList();
        var all = rows.Where(r => IsReplied(r.Status)).ToList();
        var allOnTime = all.Count(r => r.RepliedOnTime == true);
        var open = rows.Where(r => !IsReplied(r.Status)).ToList();
        return new MessageFigures(rows.Count, all.Count, allOnTime, Rate(allOnTime, all.Count),
            MessageRules.Median(all.Where(r => r.WorkingDaysToReply is not null).Select(r => r.WorkingDaysToReply!.Value)),
            open.Count, open.Count(r => MessageRules.IsOverdue(today, r.DueOn)), byUnit);
    }

    private async Task<IReadOnlyList<MonthFigures>> MonthsAsync(DateTimeOffset from, DateTimeOffset to, int? unitId, CancellationToken ct)
    {
        var opened = await db.Set<Decision>().AsNoTracking()
            .Where(d => d.ConsultationOpensAt >= from && d.ConsultationOpensAt < to && (unitId == null || d.UnitId == unitId))
            .Select(d => d.ConsultationOpensAt!.Value).ToListAsync(ct);
        var comments = await db.Set<Comment>().AsNoTracking()
            .Where(c => c.Status == CommentStatus.Published && c.CreatedAt >= from && c.CreatedAt < to && (unitId == null || c.Decision!.UnitId == unitId))
            .Select(c => c.CreatedAt).ToListAsync(ct);
        return Enumerable.Range(1, 12).Select(month => new MonthFigures(month,
            opened.Count(o => ChinaTime.ToChina(o).Month == month),
            comments.Count(c => ChinaTime.ToChina(c).Month == month))).ToList();
    }

    private async Task<AdoptionFigures> AdoptionAsync(DateTimeOffset from, DateTimeOffset to, int? unitId, CancellationToken ct)
    {
        var decisions = await db.Set<AdoptionReport>().AsNoTracking()
            .GroupBy(r => r.DecisionId)
            .Select(g => new { DecisionId = g.Key, First = g.Min(r => r.PublishedAt) })
            .Join(db.Set<Decision>(), r => r.DecisionId, d => d.Id, (r, d) => new { r.DecisionId, r.First, d.UnitId })
            .Where(r => unitId == null || r.UnitId == unitId)
            .ToListAsync(ct);
        int adopted = 0, partly = 0, not = 0, outOfScope = 0, reports = 0;
        // SQLite cannot compare DateTimeOffset values in a query after grouping; the year filter runs here.
        foreach (var d in decisions.Where(d => d.First >= from && d.First < to))
        {
            if (await adoption.ReportAsync(d.DecisionId, ct: ct) is not { } report) continue;
            reports++;
            adopted += report.Counts.Adopted;
            partly += report.Counts.PartlyAdopted;
            not += report.Counts.NotAdopted;
            outOfScope += report.Counts.OutOfScope;
        }
        return new AdoptionFigures(reports, adopted, partly, not, outOfScope, Rate(adopted + partly, adopted + partly + not + outOfScope));
    }

    private async Task<MeetingFigures> MeetingsAsync(int year, int? unitId, CancellationToken ct)
    {
        var rows = await meetings.TrackerAsync(year, ct);
        if (unitId is not null)
        {
            var row = rows.FirstOrDefault(r => r.UnitId == unitId);
            return new MeetingFigures(row?.Meetings ?? 0, row?.WithRepresentatives ?? 0, null, row is null ? [] : [row]);
        }
        var district = rows[0];
        return new MeetingFigures(district.Meetings, district.WithRepresentatives, district.Target, rows);
    }

    private async Task<OpenMonthFigures> OpenMonthAsync(DateTimeOffset from, DateTimeOffset to, int? unitId, CancellationToken ct)
    {
        var events = await db.Set<OpenEvent>().AsNoTracking()
            .Where(e => e.OpenMonth && e.StartsAt >= from && e.StartsAt < to && (unitId == null || e.UnitId == unitId))
            .Select(e => new
            {
                e.Capacity,
                Registered = db.Set<EventRegistration>().Where(r => r.EventId == e.Id && r.Status == RegistrationStatus.Confirmed).Sum(r => 1 + r.Companions),
                Attended = db.Set<EventRegistration>().Where(r => r.EventId == e.Id && r.CheckedInAt != null).Sum(r => 1 + r.Companions),
            }).ToListAsync(ct);
        var registered = events.Sum(e => e.Registered);
        var attended = events.Sum(e => e.Attended);
        return new OpenMonthFigures(events.Count, events.Sum(e => e.Capacity), registered, attended, Rate(attended, registered));
    }

    /// <summary>A share as a fraction rounded to 4 places (so 0.8571 is 85.71 %); null when there is nothing to divide.</summary>
    public static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
