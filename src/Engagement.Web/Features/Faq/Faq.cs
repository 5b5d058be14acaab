using Engagement.Web.Features.Live;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Features.Faq;

/// <summary>
/// A frequently asked question with its answer, shown on the page it belongs to (2023 §十五: questions asked often
/// become an FAQ on the same page). <see cref="Page"/> is that page's path; the source says where it came from.
/// </summary>
public sealed class FaqEntry
{
    public int Id { get; set; }
    public string Page { get; set; } = "";
    public string Question { get; set; } = "";
    public string Answer { get; set; } = "";
    public string Source { get; set; } = "";
    public long? SourceId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class FaqEntryConfiguration : IEntityTypeConfiguration<FaqEntry>
{
    public void Configure(EntityTypeBuilder<FaqEntry> builder)
    {
        builder.Property(f => f.Page).HasMaxLength(200).IsRequired();
        builder.Property(f => f.Question).HasMaxLength(500).IsRequired();
        builder.Property(f => f.Answer).HasMaxLength(4000).IsRequired();
        builder.Property(f => f.Source).HasMaxLength(20).IsRequired();
        builder.HasIndex(f => f.Page);
        builder.HasIndex(f => new { f.Source, f.SourceId });
    }
}

public sealed class FaqService(EngagementDbContext db, TimeProvider clock, AuditWriter audit)
{
    public const string LiveSource = "live";

    public Task<List<FaqEntry>> ForPageAsync(string page, CancellationToken ct = default) =>
        db.Set<FaqEntry>().AsNoTracking().Where(f => f.Page == page).OrderBy(f => f.Id).ToListAsync(ct);

    /// <summary>
    /// One action: an answered live question becomes an FAQ entry on the page of the event, meeting or briefing the
    /// session belongs to. A question already in the FAQ is not added twice. False when the question is not answered.
    /// </summary>
    public async Task<bool> AddFromLiveQuestionAsync(int sessionId, long questionId, CancellationToken ct = default)
    {
        var question = await db.Set<LiveQuestion>().AsNoTracking()
            .SingleOrDefaultAsync(q => q.Id == questionId && q.SessionId == sessionId && q.Status == LiveQuestionStatus.Answered, ct);
        var session = await db.Set<LiveSession>().AsNoTracking().SingleAsync(s => s.Id == sessionId, ct);
        if (question is null || question.Answer is null) return false;
        if (await db.Set<FaqEntry>().AnyAsync(f => f.Source == LiveSource && f.SourceId == questionId, ct)) return true;
        var now = clock.GetUtcNow();
        var entry = new FaqEntry
        {
            Page = PageOf(session), Question = question.Text, Answer = question.Answer, Source = LiveSource, SourceId = questionId, CreatedAt = now, UpdatedAt = now,
        };
        db.Add(entry);
        audit.Record("faq.add", "FaqEntry", questionId.ToString(), null, new { entry.Page, entry.Question });
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<IReadOnlySet<long>> LiveQuestionsInFaqAsync(int sessionId, CancellationToken ct = default)
    {
        var ids = db.Set<LiveQuestion>().Where(q => q.SessionId == sessionId).Select(q => (long?)q.Id);
        return (await db.Set<FaqEntry>().Where(f => f.Source == LiveSource && ids.Contains(f.SourceId)).Select(f => f.SourceId!.Value).ToListAsync(ct)).ToHashSet();
    }

    public static string PageOf(LiveSession session) =>
        session.EventId is { } e ? $"/events/{e}" : session.MeetingId is { } m ? $"/meetings/{m}" : $"/live/{session.JoinCode}";
}

/// <summary>The FAQ of the page it is put on; nothing when the page has none.</summary>
public sealed class FaqViewComponent(FaqService faq) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string page) => View(await faq.ForPageAsync(page));
}

public static class FaqSetup
{
    public static IServiceCollection AddFaq(this IServiceCollection services) => services.AddScoped<FaqService>();
}
