using Engagement.Web.Features.Home;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Consultation;

public sealed record DecisionListItem(int Id, int Year, string Title, int UnitId, string Unit, string UnitEn, DecisionStatus Status,
    bool EnterpriseRelated, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, int PublishedComments);

public sealed record DocumentView(DocumentKind Kind, int Version, string Markdown, DateTimeOffset UpdatedAt, IReadOnlyList<VersionInfo> History, int? PdfLength = null)
{
    public bool IsPdf => PdfLength is not null;
}
public sealed record VersionInfo(int Number, DateTimeOffset CreatedAt, string CreatedBy, string Note);

public sealed record DecisionDetail(DecisionListItem Item, string Summary, string PlannedTimeline, IReadOnlyList<DocumentView> Documents);

public sealed record PublicComment(long Id, string Text, int? Paragraph, CommentChannel Channel, string? Organization, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt,
    DateOnly? HeldOn = null, string? Place = null, int? Participants = null);

public sealed record DecisionFilter(int? Year = null, string? Status = null, int? Unit = null, bool? EnterpriseRelated = null, string? Search = null);

/// <summary>The reads of the catalog and its decisions, shared by the pages and the API so both say the same (数据同源).</summary>
public sealed class DecisionQueries(EngagementDbContext db, TimeProvider clock) : IOpenNowSource
{
    public async Task<IReadOnlyList<DecisionListItem>> ListAsync(DecisionFilter filter, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var query = db.Set<Decision>().AsNoTracking();
        if (filter.Year is { } year) query = query.Where(d => d.Year == year);
        if (filter.Unit is { } unit) query = query.Where(d => d.UnitId == unit);
        if (filter.EnterpriseRelated is { } enterprise) query = query.Where(d => d.EnterpriseRelated == enterprise);
        // Control characters (a NUL ends an FTS5 string) are no part of any title.
        var search = Comments.Clean(filter.Search ?? "");
        if (search.Length > 0) query = await SearchAsync(query, search, ct);
        query = filter.Status?.ToLowerInvariant() switch
        {
            // "open": open for comment now; "closed": a consultation that has ended (API contract).
            "open" => query.Where(d => d.ConsultationOpensAt <= now && d.ConsultationClosesAt > now),
            "closed" => query.Where(d => d.ConsultationClosesAt <= now),
            null or "" => query,
            var s when Enum.TryParse<DecisionStatus>(s, true, out var status) => StatusFilter(query, status, now),
            _ => query.Where(_ => false),
        };
        var rows = await query.OrderByDescending(d => d.Year).ThenBy(d => d.Id).Select(Item()).ToListAsync(ct);
        return rows.Select(r => r with { Status = Effective(r, now) }).ToList();
    }

    private static IQueryable<Decision> StatusFilter(IQueryable<Decision> query, DecisionStatus status, DateTimeOffset now) => status switch
    {
        DecisionStatus.OpenForComment => query.Where(d => d.ConsultationOpensAt <= now && d.ConsultationClosesAt > now),
        DecisionStatus.UnderReview => query.Where(d => d.Status == DecisionStatus.UnderReview
            || (d.Status == DecisionStatus.OpenForComment && d.ConsultationClosesAt <= now)),
        DecisionStatus.Drafting => query.Where(d => d.Status == DecisionStatus.Drafting
            || (d.Status == DecisionStatus.OpenForComment && d.ConsultationOpensAt > now)),
        _ => query.Where(d => d.Status == status),
    };

    public const int MaxSearchLength = 100;

    /// <summary>
    /// Chinese full-text search over titles and summaries: SQLite FTS5 with the trigram tokenizer, PostgreSQL pg_trgm
    /// indexes (migration DecisionSearch). Trigrams index three characters; a two-character query such as 电梯 is
    /// matched by the same tables' LIKE support, a scan of the search index rather than of the decisions.
    /// </summary>
    private async Task<IQueryable<Decision>> SearchAsync(IQueryable<Decision> query, string search, CancellationToken ct)
    {
        search = search.Length > MaxSearchLength ? search[..MaxSearchLength] : search;
        if (db.Database.IsSqlite())
        {
            var ids = search.Length >= 3
                ? await db.Database.SqlQuery<int>($"SELECT rowid AS \"Value\" FROM DecisionSearch WHERE DecisionSearch MATCH {Phrase(search)}").ToListAsync(ct)
                : await db.Database.SqlQuery<int>($"SELECT rowid AS \"Value\" FROM DecisionSearch WHERE Title LIKE {Like(search)} ESCAPE '\\' OR Summary LIKE {Like(search)} ESCAPE '\\'").ToListAsync(ct);
            return query.Where(d => ids.Contains(d.Id));
        }
        var pattern = Like(search);
        return query.Where(d => EF.Functions.ILike(d.Title, pattern, "\\") || EF.Functions.ILike(d.Summary, pattern, "\\"));
    }

    /// <summary>An FTS5 phrase: the whole query as one quoted string, so its characters are never read as syntax.</summary>
    private static string Phrase(string search) => "\"" + search.Replace("\"", "\"\"") + "\"";

    private static string Like(string search) => "%" + search.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    public async Task<DecisionDetail?> DetailAsync(int id, CancellationToken ct = default)
    {
        var item = await db.Set<Decision>().AsNoTracking().Where(d => d.Id == id).Select(Item()).SingleOrDefaultAsync(ct);
        if (item is null) return null;
        var extra = await db.Set<Decision>().AsNoTracking().Where(d => d.Id == id).Select(d => new { d.Summary, d.PlannedTimeline }).SingleAsync(ct);
        var versions = await db.Set<DocumentVersion>().AsNoTracking()
            .Join(db.Set<DecisionDocument>().Where(d => d.DecisionId == id && d.PublishedAt != null), v => v.DocumentId, d => d.Id,
                (v, d) => new { d.Kind, v.Number, v.Markdown, v.PdfLength, v.CreatedAt, v.CreatedBy, v.Note })
            .ToListAsync(ct);
        var documents = versions.GroupBy(v => v.Kind).OrderBy(g => g.Key).Select(g =>
        {
            var latest = g.MaxBy(v => v.Number)!;
            return new DocumentView(g.Key, latest.Number, latest.Markdown, latest.CreatedAt,
                g.OrderByDescending(v => v.Number).Select(v => new VersionInfo(v.Number, v.CreatedAt, v.CreatedBy, v.Note)).ToList(), latest.PdfLength);
        }).ToList();
        return new DecisionDetail(item with { Status = Effective(item, clock.GetUtcNow()) }, extra.Summary, extra.PlannedTimeline, documents);
    }

    public async Task<(IReadOnlyList<PublicComment> Comments, int Total)> PublishedCommentsAsync(int decisionId, int page, int pageSize, CancellationToken ct = default)
    {
        var query = db.Set<Comment>().AsNoTracking().Where(c => c.DecisionId == decisionId && c.Status == CommentStatus.Published);
        var total = await query.CountAsync(ct);
        // A page past the end is empty; asking the database would overflow its OFFSET for absurd page numbers.
        var skip = (long)(Math.Max(page, 1) - 1) * pageSize;
        if (skip >= total) return ([], total);
        var comments = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Skip((int)skip).Take(pageSize)
            .Select(c => new PublicComment(c.Id, c.PublicText, c.Paragraph, c.Channel, c.OrganizationName, c.CreatedAt, c.ModeratedAt, c.HeldOn, c.Place, c.Participants))
            .ToListAsync(ct);
        // Names and places are checked at intake; masking them again here keeps older rows safe too.
        return (comments.Select(c => c with { Organization = MaskOrNull(c.Organization), Place = MaskOrNull(c.Place) }).ToList(), total);
    }

    /// <summary>Published comments per paragraph of the draft, for the counts beside each paragraph.</summary>
    public async Task<IReadOnlyDictionary<int, int>> ParagraphCountsAsync(int decisionId, CancellationToken ct = default) =>
        await db.Set<Comment>().AsNoTracking()
            .Where(c => c.DecisionId == decisionId && c.Status == CommentStatus.Published && c.Paragraph != null)
            .GroupBy(c => c.Paragraph!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    public async Task<IReadOnlyList<OpenNowItem>> OpenNowAsync(CancellationToken cancellationToken)
    {
        var open = await ListAsync(new DecisionFilter(Status: "open"), cancellationToken);
        return open.Select(d => new OpenNowItem(OpenNowKind.Consultation, d.Title, $"/decisions/{d.Id}", d.ClosesAt)).ToList();
    }

    private static DecisionStatus Effective(DecisionListItem item, DateTimeOffset now) =>
        new Decision { Status = item.Status, ConsultationOpensAt = item.OpensAt, ConsultationClosesAt = item.ClosesAt }.EffectiveStatus(now);

    private System.Linq.Expressions.Expression<Func<Decision, DecisionListItem>> Item() => d => new DecisionListItem(
        d.Id, d.Year, d.Title, d.UnitId, d.Unit!.Name, d.Unit.NameEn, d.Status, d.EnterpriseRelated,
        d.ConsultationOpensAt, d.ConsultationClosesAt,
        db.Set<Comment>().Count(c => c.DecisionId == d.Id && c.Status == CommentStatus.Published));

    private static string? MaskOrNull(string? text) => text is null ? null : Platform.Privacy.PersonalDataMasker.Mask(text).Masked;
}
