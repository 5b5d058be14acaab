using System.Security.Claims;
using Engagement.Web.Features.Accounts;
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

public sealed record FaqCandidate(string Source, long SourceId, string Question, string? Answer, DateTimeOffset At, int AskedTimes);

public sealed record FaqEditResult(bool Succeeded, string? Field = null, string? Error = null, int? Id = null);

/// <summary>
/// The FAQ of each page (2023 §十五): entries staff create from online messages, live Q&amp;A archives and consultation
/// comments, or write themselves, and keep current (edit, remove). Who may edit a page's FAQ follows who runs the page:
/// staff of the decision's, event's or meeting's unit, and admins; any staff for the general message board.
/// </summary>
public sealed partial class FaqService(EngagementDbContext db, TimeProvider clock, AuditWriter audit)
{
    public const string LiveSource = "live";
    public const string MessageSource = "message";
    public const string CommentSource = "comment";
    public const string StaffSource = "staff";
    public const int MaxQuestion = 500;
    public const int MaxAnswer = 4000;

    public Task<List<FaqEntry>> ForPageAsync(string page, CancellationToken ct = default) =>
        db.Set<FaqEntry>().AsNoTracking().Where(f => f.Page == page).OrderBy(f => f.Id).ToListAsync(ct);

    /// <summary>The pages that have an FAQ page of their own: decisions, events, meetings, live sessions and the message board.</summary>
    public static bool IsFaqPage(string? page) =>
        page is not null && (page == Messages.MessageRules.GeneralBoard || PagePattern().IsMatch(page));

    /// <summary>Whether <paramref name="user"/> may edit the FAQ of <paramref name="page"/>; false for a page that does not exist.</summary>
    public async Task<bool> CanEditAsync(ClaimsPrincipal user, string page, CancellationToken ct = default)
    {
        if (!IsFaqPage(page)) return false;
        if (user.IsInRole(Roles.Admin)) return true;
        if (page == Messages.MessageRules.GeneralBoard || page.StartsWith("/live/", StringComparison.Ordinal)) return user.IsInRole(Roles.Staff);
        var id = int.Parse(page[(page.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        int? unit = page.StartsWith("/decisions/", StringComparison.Ordinal)
            ? await db.Set<Consultation.Decision>().Where(d => d.Id == id).Select(d => (int?)d.UnitId).SingleOrDefaultAsync(ct)
            : page.StartsWith("/events/", StringComparison.Ordinal)
                ? await db.Set<OpenMonth.OpenEvent>().Where(e => e.Id == id).Select(e => (int?)e.UnitId).SingleOrDefaultAsync(ct)
                : await db.Set<Meetings.Meeting>().Where(m => m.Id == id).Select(m => m.UnitId).SingleOrDefaultAsync(ct);
        return await UnitAccess.CanActForAsync(db, user, unit, ct);
    }

    /// <summary>
    /// Adds an entry to a page's FAQ. One source item (a message, a comment, a live question) becomes at most one entry:
    /// adding it again is refused with the entry that has it.
    /// </summary>
    public async Task<FaqEditResult> AddAsync(string page, string? question, string? answer, string source, long? sourceId, CancellationToken ct = default)
    {
        if (Validate(question, answer) is { } invalid) return invalid;
        if (sourceId is not null && await db.Set<FaqEntry>().Where(f => f.Source == source && f.SourceId == sourceId).Select(f => (int?)f.Id).FirstOrDefaultAsync(ct) is { } existing)
        {
            return new FaqEditResult(false, "source", "Faq.AlreadyAdded", existing);
        }
        var now = clock.GetUtcNow();
        var entry = new FaqEntry
        {
            Page = page, Question = PublicQuestion(question!), Answer = Consultation.Comments.Clean(answer!), Source = source, SourceId = sourceId,
            CreatedAt = now, UpdatedAt = now,
        };
        db.Add(entry);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        audit.Record("faq.add", nameof(FaqEntry), entry.Id.ToString(), null, new { entry.Page, entry.Question, entry.Source, entry.SourceId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new FaqEditResult(true, Id: entry.Id);
    }

    /// <summary>
    /// The question is a resident's (a message, a comment, a live question, or staff typing out what was asked), so
    /// personal data in it is masked like theirs; the answer is staff's own and may give an office's number.
    /// </summary>
    private static string PublicQuestion(string question) => Platform.Privacy.PersonalDataMasker.Mask(Consultation.Comments.Clean(question)).Masked;

    public async Task<FaqEditResult> UpdateAsync(int id, string? question, string? answer, CancellationToken ct = default)
    {
        if (Validate(question, answer) is { } invalid) return invalid;
        var entry = await db.Set<FaqEntry>().SingleOrDefaultAsync(f => f.Id == id, ct);
        if (entry is null) return new FaqEditResult(false, "", "Faq.NotFound");
        var before = new { entry.Question, entry.Answer };
        entry.Question = PublicQuestion(question!);
        entry.Answer = Consultation.Comments.Clean(answer!);
        entry.UpdatedAt = clock.GetUtcNow();
        audit.Record("faq.update", nameof(FaqEntry), id.ToString(), before, new { entry.Question, entry.Answer });
        await db.SaveChangesAsync(ct);
        return new FaqEditResult(true, Id: id);
    }

    public async Task<bool> RemoveAsync(int id, CancellationToken ct = default)
    {
        var entry = await db.Set<FaqEntry>().SingleOrDefaultAsync(f => f.Id == id, ct);
        if (entry is null) return false;
        db.Remove(entry);
        audit.Record("faq.remove", nameof(FaqEntry), id.ToString(), new { entry.Page, entry.Question, entry.Answer }, null);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public Task<FaqEntry?> FindAsync(int id, CancellationToken ct = default) => db.Set<FaqEntry>().AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct);

    private static FaqEditResult? Validate(string? question, string? answer)
    {
        var q = Consultation.Comments.Clean(question ?? "");
        var a = Consultation.Comments.Clean(answer ?? "");
        if (q.Length is 0 or > MaxQuestion) return new FaqEditResult(false, "question", "Faq.QuestionLength");
        if (a.Length is 0 or > MaxAnswer) return new FaqEditResult(false, "answer", "Faq.AnswerLength");
        return null;
    }

    /// <summary>
    /// What staff can turn into FAQ entries on a page, most asked first: replied messages left there, published
    /// comments on the decision, and answered live questions of sessions belonging to the page. Items not yet in the FAQ;
    /// near-identical questions (character n-gram similarity) are gathered and counted, so questions asked often show first.
    /// </summary>
    public async Task<IReadOnlyList<FaqCandidate>> CandidatesAsync(string page, CancellationToken ct = default)
    {
        var used = (await db.Set<FaqEntry>().Where(f => f.Page == page && f.SourceId != null).Select(f => new { f.Source, f.SourceId }).ToListAsync(ct))
            .Select(f => (f.Source, f.SourceId!.Value)).ToHashSet();
        var items = new List<FaqCandidate>();
        items.AddRange((await db.Set<Messages.Message>().AsNoTracking()
                .Where(m => m.Page == page && m.Status == Messages.MessageStatus.Replied).OrderByDescending(m => m.RepliedAt).Take(200)
                .Select(m => new { m.Id, m.PublicText, m.Reply, m.ReceivedAt }).ToListAsync(ct))
            .Select(m => new FaqCandidate(MessageSource, m.Id, m.PublicText, m.Reply, m.ReceivedAt, 1)));
        if (page.StartsWith("/decisions/", StringComparison.Ordinal) && int.TryParse(page["/decisions/".Length..], out var decisionId))
        {
            items.AddRange((await db.Set<Consultation.Comment>().AsNoTracking()
                    .Where(c => c.DecisionId == decisionId && c.Status == Consultation.CommentStatus.Published && c.Channel == Consultation.CommentChannel.Online)
                    .OrderByDescending(c => c.CreatedAt).Take(200).Select(c => new { c.Id, c.PublicText, c.CreatedAt }).ToListAsync(ct))
                .Select(c => new FaqCandidate(CommentSource, c.Id, c.PublicText, null, c.CreatedAt, 1)));
        }
        var sessionIds = await SessionsOfPage(page).Select(s => s.Id).ToListAsync(ct);
        if (sessionIds.Count > 0)
        {
            items.AddRange((await db.Set<LiveQuestion>().AsNoTracking()
                    .Where(q => sessionIds.Contains(q.SessionId) && q.Status == LiveQuestionStatus.Answered && q.Answer != null)
                    .OrderByDescending(q => q.Id).Take(200).Select(q => new { q.Id, q.Text, q.Answer, q.AskedAt }).ToListAsync(ct))
                .Select(q => new FaqCandidate(LiveSource, q.Id, q.Text, q.Answer, q.AskedAt, 1)));
        }
        return FaqGrouping.MostAskedFirst(items.Where(i => !used.Contains((i.Source, i.SourceId))).ToList());
    }

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
        var result = await AddAsync(PageOf(session), question.Text.Length > MaxQuestion ? question.Text[..MaxQuestion] : question.Text,
            question.Answer, LiveSource, questionId, ct);
        return result.Succeeded || result.Id is not null;
    }

    public async Task<IReadOnlySet<long>> LiveQuestionsInFaqAsync(int sessionId, CancellationToken ct = default)
    {
        var ids = db.Set<LiveQuestion>().Where(q => q.SessionId == sessionId).Select(q => (long?)q.Id);
        return (await db.Set<FaqEntry>().Where(f => f.Source == LiveSource && ids.Contains(f.SourceId)).Select(f => f.SourceId!.Value).ToListAsync(ct)).ToHashSet();
    }

    /// <summary>The live sessions whose archive is on <paramref name="page"/> (the inverse of <see cref="PageOf"/>).</summary>
    private IQueryable<LiveSession> SessionsOfPage(string page)
    {
        var sessions = db.Set<LiveSession>().AsNoTracking();
        var last = page[(page.LastIndexOf('/') + 1)..];
        if (page.StartsWith("/events/", StringComparison.Ordinal) && int.TryParse(last, out var e)) return sessions.Where(s => s.EventId == e);
        if (page.StartsWith("/meetings/", StringComparison.Ordinal) && int.TryParse(last, out var m)) return sessions.Where(s => s.EventId == null && s.MeetingId == m);
        if (page.StartsWith("/live/", StringComparison.Ordinal)) return sessions.Where(s => s.EventId == null && s.MeetingId == null && s.JoinCode == last);
        return sessions.Where(_ => false);
    }

    public static string PageOf(LiveSession session) =>
        session.EventId is { } e ? $"/events/{e}" : session.MeetingId is { } m ? $"/meetings/{m}" : $"/live/{session.JoinCode}";

    [System.Text.RegularExpressions.GeneratedRegex(@"^/(decisions|events|meetings)/[1-9][0-9]{0,8}$|^/live/[A-Z0-9]{4,12}$")]
    private static partial System.Text.RegularExpressions.Regex PagePattern();
}

public sealed record FaqView(string Page, IReadOnlyList<FaqEntry> Entries, bool CanEdit);

/// <summary>The FAQ of the page it is put on (nothing when the page has none), with a link to keep it for those who may.</summary>
public sealed class FaqViewComponent(FaqService faq) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string page)
    {
        var user = (ClaimsPrincipal)User;
        var canEdit = (user.IsInRole(Roles.Staff) || user.IsInRole(Roles.Admin)) && await faq.CanEditAsync(user, page);
        return View(new FaqView(page, await faq.ForPageAsync(page), canEdit));
    }
}

public static class FaqSetup
{
    public static IServiceCollection AddFaq(this IServiceCollection services) => services.AddScoped<FaqService>();
}

/// <summary>
/// Gathers questions asked often (2023 §十五): candidates are clustered on character n-grams, the same clusterer the
/// adoption review uses, and each carries how many times its question was asked. Clusters asked most come first,
/// answered items first within one, so staff see what to put in the FAQ before anything else.
/// </summary>
public static class FaqGrouping
{
    public static IReadOnlyList<FaqCandidate> MostAskedFirst(IReadOnlyList<FaqCandidate> items)
    {
        if (items.Count == 0) return [];
        var assignment = new Adoption.CommentClusterer().Cluster(items.Select(i => new Adoption.ClusterInput(i.Question)).ToList()).Assignment;
        var size = assignment.GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
        return items.Select((item, i) => (Item: item with { AskedTimes = size[assignment[i]] }, Cluster: assignment[i]))
            .OrderByDescending(x => x.Item.AskedTimes).ThenBy(x => x.Cluster).ThenBy(x => x.Item.Answer is null).ThenByDescending(x => x.Item.At)
            .Select(x => x.Item).ToList();
    }
}
