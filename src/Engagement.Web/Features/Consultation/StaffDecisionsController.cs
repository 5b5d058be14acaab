using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Consultation;

/// <summary>The drafting unit's desk: its decisions, their documents, opening a consultation.</summary>
[Authorize(Roles = Roles.StaffOrAdmin), Route("staff/decisions")]
public sealed class StaffDecisionsController(EngagementDbContext db, DecisionQueries queries, DecisionAuthoring authoring, CommentService comments,
    TimeProvider clock, Microsoft.Extensions.Localization.IStringLocalizer<Platform.SharedResource> text) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(await ViewAsync(new DecisionForm { Year = ChinaTime.Today(clock).Year, UnitId = await MyUnitAsync(ct) ?? 0 }, ct));

    [HttpPost("")]
    public async Task<IActionResult> Create(DecisionForm form, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var result = await authoring.CreateAsync(User, form.Year, form.Title, form.Summary ?? "", form.UnitId, form.EnterpriseRelated, form.PlannedTimeline ?? "", form.UnitCatalog, ct);
            if (result.Ok) return Redirect($"/staff/decisions/{result.Id}/documents/{DocumentKind.Draft}");
            ModelState.AddModelError(result.Field ?? "", result.Error!);
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(nameof(Index), await ViewAsync(form, ct));
    }

    [HttpGet("{id:int}/documents/{kindName}")]
    public async Task<IActionResult> Document(int id, string kindName, CancellationToken ct)
    {
        if (!Documents.TryParseKind(kindName, out var kind)) return NotFound();
        var title = await TitleAsync(id, ct);
        if (title is null) return NotFound();
        var current = await comments.CurrentMarkdownAsync(id, kind, ct);
        return View(await DocumentViewAsync(id, title, kind, new DocumentForm { Markdown = current ?? "" }, ct));
    }

    [HttpPost("{id:int}/documents/{kindName}")]
    public async Task<IActionResult> Document(int id, string kindName, DocumentForm form, CancellationToken ct)
    {
        if (!Documents.TryParseKind(kindName, out var kind)) return NotFound();
        var title = await TitleAsync(id, ct);
        if (title is null) return NotFound();
        if (ModelState.IsValid)
        {
            var result = await authoring.SaveDocumentAsync(User, id, kind, form.Markdown, form.Note, ct);
            if (result.Ok) return Redirect($"/decisions/{id}#doc-{kind}");
            ModelState.AddModelError(result.Field ?? "", result.Error!);
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(await DocumentViewAsync(id, title, kind, form, ct));
    }

    [HttpPost("{id:int}/documents/{kindName}/pdf"), RequestSizeLimit(DecisionAuthoring.MaxPdfBytes + 64 * 1024)]
    public async Task<IActionResult> Pdf(int id, string kindName, IFormFile? file, string? note, CancellationToken ct)
    {
        if (!Documents.TryParseKind(kindName, out var kind)) return NotFound();
        var title = await TitleAsync(id, ct);
        if (title is null) return NotFound();
        byte[] content = [];
        if (file is not null && file.Length <= DecisionAuthoring.MaxPdfBytes)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            content = buffer.ToArray();
        }
        else if (file is not null)
        {
            content = new byte[DecisionAuthoring.MaxPdfBytes + 1]; // reported as too large below, never stored
        }
        var result = await authoring.SavePdfAsync(User, id, kind, content, note, ct);
        if (result.Ok) return Redirect($"/decisions/{id}#doc-{kind}");
        ModelState.AddModelError(result.Field ?? "", result.Error!);
        Response.StatusCode = content.Length > DecisionAuthoring.MaxPdfBytes ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity;
        var current = await comments.CurrentMarkdownAsync(id, kind, ct);
        return View(nameof(Document), await DocumentViewAsync(id, title, kind, new DocumentForm { Markdown = current ?? "" }, ct));
    }

    [HttpGet("{id:int}/consultation")]
    public async Task<IActionResult> Consultation(int id, CancellationToken ct)
    {
        var title = await TitleAsync(id, ct);
        if (title is null) return NotFound();
        var today = ChinaTime.Today(clock);
        var form = new ConsultationForm { OpensAt = today.ToDateTime(new TimeOnly(9, 0)), ClosesAt = today.AddDays(30).ToDateTime(new TimeOnly(17, 0)) };
        return View(await ConsultationViewAsync(id, title, form, null, ct));
    }

    [HttpPost("{id:int}/consultation")]
    public async Task<IActionResult> Consultation(int id, ConsultationForm form, CancellationToken ct)
    {
        var title = await TitleAsync(id, ct);
        if (title is null) return NotFound();
        string? error = null;
        foreach (var (field, value) in new[] { (nameof(form.OpensAt), form.OpensAt), (nameof(form.ClosesAt), form.ClosesAt) })
        {
            // A typo such as year 0202 would otherwise fall outside what an instant can hold.
            if (value is not null && !ChinaTime.IsPlausible(value)) ModelState.AddModelError(field, text["Consultation.OutOfRange"]);
        }
        if (ModelState.IsValid)
        {
            // The times are Shanghai wall-clock times, whatever the server's zone.
            var result = await authoring.OpenConsultationAsync(User, id, ChinaTime.FromChina(form.OpensAt!.Value), ChinaTime.FromChina(form.ClosesAt!.Value), ct);
            if (result.Ok) return Redirect($"/decisions/{id}");
            if (string.IsNullOrEmpty(result.Field)) error = result.Error; else ModelState.AddModelError(result.Field, result.Error!);
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(await ConsultationViewAsync(id, title, form, error, ct));
    }

    [HttpGet("{id:int}/offline")]
    public async Task<IActionResult> Offline(int id, CancellationToken ct)
    {
        var title = await TitleAsync(id, ct);
        return title is null ? NotFound() : View(await OfflineViewAsync(id, title, new OfflineForm { HeldOn = ChinaTime.Today(clock) }, ct));
    }

    [HttpPost("{id:int}/offline")]
    public async Task<IActionResult> Offline(int id, OfflineForm form, CancellationToken ct)
    {
        var title = await TitleAsync(id, ct);
        if (title is null) return NotFound();
        if (ModelState.IsValid)
        {
            var result = await comments.RecordOfflineAsync(id, User, form.Channel, form.HeldOn!.Value, form.Place, form.Participants, form.Summary, ct);
            if (result.Outcome == SubmitOutcome.Created) return Redirect($"/staff/decisions/{id}/offline");
            Response.StatusCode = result.Outcome == SubmitOutcome.Duplicate ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
            ModelState.AddModelError(result.Field ?? "", result.Error!);
        }
        else
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        return View(await OfflineViewAsync(id, title, form, ct));
    }

    private async Task<OfflineView> OfflineViewAsync(int id, string title, OfflineForm form, CancellationToken ct)
    {
        var recorded = await db.Set<Comment>().AsNoTracking().Where(c => c.DecisionId == id && c.Channel != CommentChannel.Online)
            .OrderByDescending(c => c.HeldOn)
            .Select(c => new PublicComment(c.Id, c.PublicText, c.Paragraph, c.Channel, c.OrganizationName, c.CreatedAt, c.ModeratedAt, c.HeldOn, c.Place, c.Participants))
            .ToListAsync(ct);
        return new OfflineView(id, title, form, recorded);
    }

    private async Task<StaffDecisionsView> ViewAsync(DecisionForm form, CancellationToken ct)
    {
        var unit = await MyUnitAsync(ct);
        var items = await queries.ListAsync(new DecisionFilter(Unit: User.IsInRole(Roles.Admin) ? null : unit ?? -1), ct);
        var units = await db.Units.Where(u => u.IsActive && (User.IsInRole(Roles.Admin) || u.Id == unit))
            .OrderBy(u => u.Kind).ThenBy(u => u.Name).Select(u => new UnitOption(u.Id, u.Name, u.NameEn)).ToListAsync(ct);
        return new StaffDecisionsView(items, units, form);
    }

    private async Task<DocumentEditView> DocumentViewAsync(int id, string title, DocumentKind kind, DocumentForm form, CancellationToken ct)
    {
        var history = await db.Set<DecisionDocument>().Where(d => d.DecisionId == id && d.Kind == kind).SelectMany(d => d.Versions)
            .OrderByDescending(v => v.Number).Select(v => new VersionInfo(v.Number, v.CreatedAt, v.CreatedBy, v.Note)).ToListAsync(ct);
        return new DocumentEditView(id, title, kind, form, history);
    }

    private async Task<ConsultationEditView> ConsultationViewAsync(int id, string title, ConsultationForm form, string? error, CancellationToken ct)
    {
        var published = await db.Set<DecisionDocument>().Where(d => d.DecisionId == id && d.PublishedAt != null).Select(d => d.Kind).ToListAsync(ct);
        return new ConsultationEditView(id, title, form, published, error);
    }

    /// <summary>The decision's title, or null (a 404) when it does not exist or belongs to a unit the user may not act for.</summary>
    private async Task<string?> TitleAsync(int id, CancellationToken ct)
    {
        var decision = await db.Set<Decision>().Where(d => d.Id == id).Select(d => new { d.Title, d.UnitId }).SingleOrDefaultAsync(ct);
        return decision is not null && await Accounts.UnitAccess.CanActForAsync(db, User, decision.UnitId, ct) ? decision.Title : null;
    }

    private async Task<int?> MyUnitAsync(CancellationToken ct)
    {
        var userId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.UnitId).SingleAsync(ct);
    }
}
