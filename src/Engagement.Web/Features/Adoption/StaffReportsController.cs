using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Adoption;

/// <summary>The deadline dashboard and the drafting unit's work on a report: issue, outcomes, clusters, publishing.</summary>
[Authorize(Roles = Roles.StaffOrAdmin), Route("staff/reports")]
public sealed class StaffReportsController(AdoptionService adoption, Consultation.CommentService comments, EngagementDbContext db) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        int? unit = null;
        if (!User.IsInRole(Roles.Admin))
        {
            var userId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
            unit = await db.Users.Where(u => u.Id == userId).Select(u => u.UnitId).SingleAsync(ct) ?? -1;
        }
        return View(await adoption.DashboardAsync(unit, ct));
    }

    /// <summary>The public page as it would read if published now, marked as a preview and shown to staff only.</summary>
    [HttpGet("{id:int}/preview")]
    public async Task<IActionResult> Preview(int id, CancellationToken ct)
    {
        if (await adoption.PreviewAsync(id, User, ct) is not { } report) return NotFound();
        ViewData["Preview"] = true;
        return View("~/Features/Adoption/Views/Reports/Index.cshtml", new ReportPageView(report, [], true));
    }

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Review(int id, CancellationToken ct) => await ShowAsync(id, null, null, ct);

    [HttpPost("{id:int}/issue")]
    public async Task<IActionResult> Issue(int id, IssueForm form, CancellationToken ct) =>
        await AfterAsync(id, await adoption.RecordIssueAsync(id, User, form, ct), form, ct);

    [HttpPost("{id:int}/comments/{commentId:long}")]
    public async Task<IActionResult> Outcome(int id, long commentId, string? outcome, string? reason, CancellationToken ct)
    {
        if (!await db.Set<Consultation.Comment>().AnyAsync(c => c.Id == commentId && c.DecisionId == id, ct)) return NotFound();
        return await AfterAsync(id, await adoption.SetCommentOutcomeAsync(commentId, User, outcome, reason, ct), null, ct, $"comment-{commentId}");
    }

    [HttpPost("{id:int}/clusters/{clusterId:long}")]
    public async Task<IActionResult> Cluster(int id, long clusterId, string? title, string? outcome, string? reason, CancellationToken ct)
    {
        if (!await db.Set<CommentCluster>().AnyAsync(c => c.Id == clusterId && c.DecisionId == id, ct)) return NotFound();
        return await AfterAsync(id, await adoption.UpdateClusterAsync(clusterId, User, title, outcome, reason, ct), null, ct, $"cluster-{clusterId}");
    }

    /// <summary>Move the ticked comments to another cluster, or split them off into a new one (target "new").</summary>
    [HttpPost("{id:int}/move")]
    public async Task<IActionResult> Move(int id, long[]? commentIds, string? target, string? title, CancellationToken ct)
    {
        long? targetId = long.TryParse(target, out var parsed) ? parsed : null;
        return await AfterAsync(id, await adoption.MoveCommentsAsync(id, User, commentIds ?? [], targetId, title, ct), null, ct);
    }

    [HttpPost("{id:int}/merge")]
    public async Task<IActionResult> Merge(int id, long into, long[]? clusterIds, CancellationToken ct) =>
        await AfterAsync(id, await adoption.MergeClustersAsync(id, User, [into, .. (clusterIds ?? []).Where(c => c != into)], ct), null, ct);

    /// <summary>Confirm (decision "confirm") or dismiss a suggested equivalence for the decision's unit.</summary>
    [HttpPost("{id:int}/equivalences")]
    public async Task<IActionResult> Equivalence(int id, string[]? words, string? decision, CancellationToken ct) =>
        await AfterAsync(id, await adoption.DecideEquivalenceAsync(id, User, words, decision switch { "confirm" => true, "dismiss" => false, _ => null }, ct), null, ct, "equivalences");

    [HttpPost("{id:int}/recluster")]
    public async Task<IActionResult> Recluster(int id, CancellationToken ct)
    {
        var unit = await db.Set<Consultation.Decision>().Where(d => d.Id == id).Select(d => (int?)d.UnitId).SingleOrDefaultAsync(ct);
        if (unit is null) return NotFound();
        if (!await comments.CanModerateAsync(User, unit.Value, ct)) return Forbid();
        await adoption.ReclusterAsync(id, force: true, ct);
        return Redirect($"/staff/reports/{id}");
    }

    [HttpPost("{id:int}/publish")]
    public async Task<IActionResult> Publish(int id, string? note, CancellationToken ct)
    {
        var result = await adoption.PublishAsync(id, User, note, ct);
        switch (result.Outcome)
        {
            case PublishOutcome.Published:
                return Redirect($"/decisions/{id}/report");
            case PublishOutcome.NotFound:
                return NotFound();
            case PublishOutcome.Forbidden:
                return Forbid();
            default:
                Response.StatusCode = result.Outcome == PublishOutcome.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
                return await ShowAsync(id, null, result, ct);
        }
    }

    private async Task<IActionResult> AfterAsync(int id, AdoptionResult result, IssueForm? form, CancellationToken ct, string? anchor = null)
    {
        // The editor's script saves an answer in place: 204, or 422 with the reason, and the page is not reloaded.
        if (Request.Headers["X-Requested-With"] == "fetch")
        {
            return result.Outcome switch
            {
                AdoptionOutcome.Done => NoContent(),
                AdoptionOutcome.NotFound => NotFound(),
                AdoptionOutcome.Forbidden => Forbid(),
                AdoptionOutcome.Conflict => Conflict(new { error = result.Error }),
                _ => UnprocessableEntity(new { error = result.Error, field = result.Field }),
            };
        }
        switch (result.Outcome)
        {
            case AdoptionOutcome.Done:
                return Redirect($"/staff/reports/{id}" + (anchor is null ? "" : "#" + anchor));
            case AdoptionOutcome.NotFound:
                return NotFound();
            case AdoptionOutcome.Forbidden:
                return Forbid();
            default:
                Response.StatusCode = result.Outcome == AdoptionOutcome.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
                ModelState.AddModelError(form is null ? "" : result.Field ?? "", result.Error ?? "");
                return await ShowAsync(id, form, null, ct);
        }
    }

    private async Task<IActionResult> ShowAsync(int id, IssueForm? form, PublishResult? refusal, CancellationToken ct)
    {
        var unit = await db.Set<Consultation.Decision>().Where(d => d.Id == id).Select(d => (int?)d.UnitId).SingleOrDefaultAsync(ct);
        if (unit is null) return NotFound();
        if (!await comments.CanModerateAsync(User, unit.Value, ct)) return Forbid();
        var view = await adoption.ReviewAsync(id, ct);
        ViewData["IssueForm"] = form ?? new IssueForm
        {
            IssuedOn = view!.Issue?.IssuedOn, DocumentNumber = view.Issue?.DocumentNumber, Link = view.Issue?.Link,
        };
        ViewData["Refusal"] = refusal;
        return View("Review", view);
    }
}
