using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Consultation;

/// <summary>The public catalog, one page per decision, and commenting on it.</summary>
[Route("decisions")]
public sealed class DecisionsController(DecisionQueries queries, CommentService comments, EngagementDbContext db, TimeProvider clock,
    Microsoft.Extensions.Localization.IStringLocalizer<Platform.SharedResource> text) : Controller
{
    private const int PageSize = 20;

    [HttpGet(""), AllowAnonymous, Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Platform.Web.PublicPagePolicy.Name)]
    public async Task<IActionResult> Index(int? year, string? status, int? unit, bool? enterprise, string? q, CancellationToken ct)
    {
        var filter = new DecisionFilter(year, string.IsNullOrWhiteSpace(status) ? null : status, unit, enterprise, q);
        var years = await db.Set<Decision>().Select(d => d.Year).Distinct().OrderByDescending(y => y).ToListAsync(ct);
        var units = await db.Set<Decision>().Select(d => new UnitOption(d.UnitId, d.Unit!.Name, d.Unit.NameEn)).Distinct().ToListAsync(ct);
        var catalogs = await db.Set<DecisionCatalog>().AsNoTracking().Where(c => filter.Year == null || c.Year == filter.Year)
            .OrderByDescending(c => c.Year).ThenBy(c => c.UnitId)
            .Select(c => new CatalogInfo(c.Year, c.Unit!.Name, c.Unit.NameEn, c.PublishedOn)).ToListAsync(ct);
        return View(new CatalogView(filter, years, units.OrderBy(u => u.Name).ToList(), await queries.ListAsync(filter, ct), catalogs));
    }

    [HttpGet("{id:int}"), AllowAnonymous, Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Platform.Web.PublicPagePolicy.Name)]
    public async Task<IActionResult> Details(int id, int page = 1, CancellationToken ct = default) =>
        await PageAsync(id, Math.Max(1, page), new CommentForm(), ct) is { } view ? View(view) : NotFound();

    /// <summary>One earlier version of a document, and what changed from the version before it.</summary>
    [HttpGet("{id:int}/documents/{kindName}/versions/{number:int}"), AllowAnonymous]
    public async Task<IActionResult> Version(int id, string kindName, int number, CancellationToken ct)
    {
        if (!Documents.TryParseKind(kindName, out var kind)) return NotFound();
        var versions = await db.Set<DocumentVersion>().AsNoTracking()
            .Join(db.Set<DecisionDocument>().Where(d => d.DecisionId == id && d.Kind == kind && d.PublishedAt != null), v => v.DocumentId, d => d.Id, (v, _) => v)
            .Where(v => v.Number == number || v.Number == number - 1)
            .Select(v => new DocumentVersion { Number = v.Number, Markdown = v.Markdown, PdfLength = v.PdfLength, CreatedAt = v.CreatedAt, Note = v.Note })
            .ToListAsync(ct);
        var version = versions.SingleOrDefault(v => v.Number == number);
        var title = await db.Set<Decision>().Where(d => d.Id == id).Select(d => d.Title).SingleOrDefaultAsync(ct);
        if (version is null || title is null) return NotFound();
        var previous = versions.SingleOrDefault(v => v.Number == number - 1);
        return View(new VersionView(id, title, kind, version.Number, version.CreatedAt, version.Note, version.Markdown,
            Platform.Text.TextDiff.Lines(previous?.Markdown ?? "", version.Markdown), version.PdfLength));
    }

    [HttpGet("{id:int}/documents/{kindName}/versions/{number:int}/file.pdf"), AllowAnonymous]
    public async Task<IActionResult> Pdf(int id, string kindName, int number, CancellationToken ct)
    {
        if (!Documents.TryParseKind(kindName, out var kind)) return NotFound();
        var pdf = await db.Set<DocumentVersion>().AsNoTracking()
            .Join(db.Set<DecisionDocument>().Where(d => d.DecisionId == id && d.Kind == kind && d.PublishedAt != null), v => v.DocumentId, d => d.Id, (v, _) => v)
            .Where(v => v.Number == number && v.Pdf != null).Select(v => v.Pdf).SingleOrDefaultAsync(ct);
        return pdf is null ? NotFound() : File(pdf, "application/pdf", $"decision-{id}-{kind}-v{number}.pdf");
    }

    [HttpPost("{id:int}/comments"), Authorize(Roles = Roles.Resident), EnableRateLimiting(ConsultationApi.CommentRateLimit)]
    public async Task<IActionResult> Comment(int id, CommentForm form, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var userId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
            var result = await comments.SubmitAsync(id, userId, new CommentInput(form.Text, form.Paragraph, form.OrganizationName, form.CreditCode), ct);
            switch (result.Outcome)
            {
                case SubmitOutcome.Created:
                    TempData["Status"] = text["Comment.Received"].Value;
                    return Redirect($"/decisions/{id}#mine");
                case SubmitOutcome.NotFound:
                    return NotFound();
                case SubmitOutcome.Duplicate:
                    Response.StatusCode = StatusCodes.Status409Conflict;
                    ModelState.AddModelError(nameof(form.Text), result.Error!);
                    break;
                default:
                    Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                    ModelState.AddModelError(Field(result.Field), result.Error!);
                    break;
            }
        }
        else
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        var view = await PageAsync(id, 1, form, ct);
        return view is null ? NotFound() : View(nameof(Details), view);
    }

    private static string Field(string? field) => field switch
    {
        "paragraph" => nameof(CommentForm.Paragraph),
        "organizationName" => nameof(CommentForm.OrganizationName),
        "creditCode" => nameof(CommentForm.CreditCode),
        "text" => nameof(CommentForm.Text),
        _ => "",
    };

    private async Task<DecisionPageView?> PageAsync(int id, int page, CommentForm form, CancellationToken ct)
    {
        var detail = await queries.DetailAsync(id, ct);
        if (detail is null) return null;
        var now = clock.GetUtcNow();
        var draft = detail.Documents.FirstOrDefault(d => d.Kind == DocumentKind.Draft)?.Markdown;
        var (published, total) = await queries.PublishedCommentsAsync(id, page, PageSize, ct);
        IReadOnlyList<MyComment> mine = [];
        if (User.Identity?.IsAuthenticated == true && Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            // Pending and rejected comments are seen by their author only.
            mine = await db.Set<Comment>().AsNoTracking().Where(c => c.DecisionId == id && c.AuthorId == userId)
                .OrderByDescending(c => c.CreatedAt)
                .Select(c => new MyComment(c.Id, c.Text, c.Paragraph, c.Status, c.RejectReason, c.CreatedAt)).ToListAsync(ct);
        }
        return new DecisionPageView(detail, draft is null ? [] : DraftParagraphs.Split(draft), await queries.ParagraphCountsAsync(id, ct),
            published, total, page, PageSize, mine, form,
            detail.Item.OpensAt <= now && now < detail.Item.ClosesAt,
            detail.Item.ClosesAt <= now,
            await comments.CanModerateAsync(User, detail.Item.UnitId, ct));
    }
}
