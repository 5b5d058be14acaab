using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Meetings;

/// <summary>
/// Open topics chosen by public online solicitation (2022 §四(一)): for a set period residents vote for the catalog
/// items they most want discussed, one vote per person per item; the tally is public.
/// </summary>
public sealed class TopicPoll
{
    public int Id { get; set; }
    public int Year { get; set; }
    public string Title { get; set; } = "";
    public DateTimeOffset OpensAt { get; set; }
    public DateTimeOffset ClosesAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public bool IsOpen(DateTimeOffset now) => OpensAt <= now && now < ClosesAt;
}

public sealed class TopicVote
{
    public long Id { get; set; }
    public int PollId { get; set; }
    public int DecisionId { get; set; }
    public Guid? UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class TopicPollConfiguration : IEntityTypeConfiguration<TopicPoll>
{
    public void Configure(EntityTypeBuilder<TopicPoll> builder) => builder.Property(p => p.Title).HasMaxLength(200).IsRequired();
}

internal sealed class TopicVoteConfiguration : IEntityTypeConfiguration<TopicVote>
{
    public void Configure(EntityTypeBuilder<TopicVote> builder)
    {
        builder.HasOne<TopicPoll>().WithMany().HasForeignKey(v => v.PollId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Decision>().WithMany().HasForeignKey(v => v.DecisionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.SetNull);
        // One vote per person per item, decided by the database.
        builder.HasIndex(v => new { v.PollId, v.DecisionId, v.UserId }).IsUnique();
    }
}

public sealed record TallyItem(int DecisionId, string Title, int Votes, bool Chosen, bool MyVote);

public sealed record PollView(int Id, int Year, string Title, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, bool IsOpen, IReadOnlyList<TallyItem> Tally);

/// <summary>Meetings with public representatives in a year, for the district (target: at least 4, 2023 task 42) and each unit.</summary>
public sealed record TrackerRow(string? Unit, string? UnitEn, int Meetings, int WithRepresentatives, int? Target, int? UnitId = null);

public enum VoteOutcome { Counted, NotFound, Closed, Duplicate, NotInCatalog }

public sealed class TopicPollService(EngagementDbContext db, TimeProvider clock, AuditWriter audit)
{
    public const int DistrictTarget = 4;

    public async Task<IReadOnlyList<PollView>> PollsAsync(Guid? userId, CancellationToken ct = default)
    {
        var polls = await db.Set<TopicPoll>().AsNoTracking().OrderByDescending(p => p.ClosesAt).ToListAsync(ct);
        var result = new List<PollView>();
        foreach (var poll in polls) result.Add((await PollAsync(poll.Id, userId, ct))!);
        return result;
    }

    /// <summary>The tally: every catalog item of the poll's year with its votes, most first; chosen = on a meeting's agenda.</summary>
    public async Task<PollView?> PollAsync(int pollId, Guid? userId, CancellationToken ct = default)
    {
        var poll = await db.Set<TopicPoll>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == pollId, ct);
        if (poll is null) return null;
        var votes = await db.Set<TopicVote>().Where(v => v.PollId == pollId).GroupBy(v => v.DecisionId)
            .Select(g => new { DecisionId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.DecisionId, g => g.Count, ct);
        var mine = userId is { } id
            ? (await db.Set<TopicVote>().Where(v => v.PollId == pollId && v.UserId == id).Select(v => v.DecisionId).ToListAsync(ct)).ToHashSet()
            : [];
        var chosen = (await db.Set<MeetingTopic>().Select(t => t.DecisionId).Distinct().ToListAsync(ct)).ToHashSet();
        var items = await db.Set<Decision>().AsNoTracking().Where(d => d.Year == poll.Year && d.Status != DecisionStatus.ReportPublished)
            .Select(d => new { d.Id, d.Title }).ToListAsync(ct);
        var tally = items.Select(d => new TallyItem(d.Id, d.Title, votes.GetValueOrDefault(d.Id), chosen.Contains(d.Id), mine.Contains(d.Id)))
            .OrderByDescending(t => t.Votes).ThenBy(t => t.DecisionId).ToList();
        return new PollView(poll.Id, poll.Year, poll.Title, poll.OpensAt, poll.ClosesAt, poll.IsOpen(clock.GetUtcNow()), tally);
    }

    /// <summary>The solicitation that closed last before a moment (the one a meeting's agenda was chosen from), with its tally.</summary>
    public async Task<PollView?> LastClosedBeforeAsync(DateTimeOffset moment, CancellationToken ct = default)
    {
        var id = await db.Set<TopicPoll>().Where(p => p.ClosesAt <= moment).OrderByDescending(p => p.ClosesAt).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
        return id is null ? null : await PollAsync(id.Value, null, ct);
    }

    public async Task<VoteOutcome> VoteAsync(int pollId, int decisionId, Guid userId, CancellationToken ct = default)
    {
        var poll = await db.Set<TopicPoll>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == pollId, ct);
        if (poll is null) return VoteOutcome.NotFound;
        if (!poll.IsOpen(clock.GetUtcNow())) return VoteOutcome.Closed;
        if (!await db.Set<Decision>().AnyAsync(d => d.Id == decisionId && d.Year == poll.Year, ct)) return VoteOutcome.NotInCatalog;
        db.Add(new TopicVote { PollId = pollId, DecisionId = decisionId, UserId = userId, CreatedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return VoteOutcome.Duplicate;
        }
        return VoteOutcome.Counted;
    }

    public async Task<int?> CreateAsync(ClaimsPrincipal admin, int year, string? title, DateTimeOffset opensAt, DateTimeOffset closesAt, CancellationToken ct = default)
    {
        title = Comments.Clean(title ?? "");
        if (title.Length is 0 or > 200 || closesAt <= opensAt || year is < 2000 or > 2100) return null;
        var poll = new TopicPoll { Year = year, Title = title, OpensAt = opensAt, ClosesAt = closesAt, CreatedAt = clock.GetUtcNow() };
        db.Add(poll);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        audit.Record("poll.create", nameof(TopicPoll), poll.Id.ToString(), null, new { poll.Year, poll.Title, poll.OpensAt, poll.ClosesAt });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return poll.Id;
    }

    /// <summary>
    /// Per year: meetings held, and those at which at least one public representative took part (confirmed or attended).
    /// The district's executive meetings have a target of at least 4 a year (2023 task 42).
    /// </summary>
    public async Task<IReadOnlyList<TrackerRow>> TrackerAsync(int year, CancellationToken ct = default)
    {
        var from = Platform.Time.ChinaTime.FromChina(new DateTime(year, 1, 1)).ToUniversalTime();
        var to = Platform.Time.ChinaTime.FromChina(new DateTime(year + 1, 1, 1)).ToUniversalTime();
        var now = clock.GetUtcNow();
        var meetings = await db.Set<Meeting>().AsNoTracking().Where(m => m.HeldAt >= from && m.HeldAt < to && m.HeldAt <= now)
            .Select(m => new
            {
                m.UnitId, Unit = m.Unit!.Name, UnitEn = m.Unit.NameEn,
                WithRepresentatives = db.Set<RepresentativeApplication>().Any(a => a.MeetingId == m.Id && (a.Standing == DrawStanding.Confirmed || a.Attended == true)),
            }).ToListAsync(ct);
        var district = meetings.Where(m => m.UnitId == null).ToList();
        var rows = new List<TrackerRow> { new(null, null, district.Count, district.Count(m => m.WithRepresentatives), DistrictTarget) };
        rows.AddRange(meetings.Where(m => m.UnitId != null).GroupBy(m => (m.UnitId, m.Unit, m.UnitEn)).OrderBy(g => g.Key.Unit)
            .Select(g => new TrackerRow(g.Key.Unit, g.Key.UnitEn, g.Count(), g.Count(m => m.WithRepresentatives), null, g.Key.UnitId)));
        return rows;
    }
}
