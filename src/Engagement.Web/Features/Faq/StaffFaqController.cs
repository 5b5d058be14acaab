using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Faq;

public sealed record FaqEditorView(string Page, IReadOnlyList<FaqEntry> Entries, IReadOnlyList<FaqCandidate> Candidates, string? Question, string? Answer,
    string? Source, long? SourceId, string? Error = null, string? ErrorField = null, int? EditingId = null);

/// <summary>
/// Keeping a page's FAQ (2023 §十五): add entries from the questions asked on it (messages, comments, live questions;
/// the most asked first), write new ones, reword and remove. Without a page, the form to open one.
/// </summary>
[Authorize(Roles = Roles.StaffOrAdmin), Route("staff/faq")]
public sealed class StaffFaqController(FaqService faq, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? page, string? source, long? sourceId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(page)) return View("Pick");
        if (!FaqService.IsFaqPage(page)) return NotFound();
        if (!await faq.CanEditAsync(User, page, ct)) return Forbid();
        var candidates = await faq.CandidatesAsync(page, ct);
        var picked = source is null ? null : candidates.FirstOrDefault(c => c.Source == source && c.SourceId == sourceId);
        return View(new FaqEditorView(page, await faq.ForPageAsync(page, ct), candidates, picked?.Question, picked?.Answer, picked?.Source, picked?.SourceId));
    }

    [HttpPost("")]
    public async Task<IActionResult> Add(string? page, string? question, string? answer, string? source, long? sourceId, CancellationToken ct)
    {
        if (!FaqService.IsFaqPage(page)) return NotFound();
        if (!await faq.CanEditAsync(User, page!, ct)) return Forbid();
        var known = source is FaqService.MessageSource or FaqService.CommentSource or FaqService.LiveSource;
        if (known && sourceId is not null && !(await faq.CandidatesAsync(page!, ct)).Any(c => c.Source == source && c.SourceId == sourceId))
        {
            // Not a question asked on this page (or already in its FAQ): never link an entry to another page's message.
            return await Invalid(page!, question, answer, null, null, "Faq.NotACandidate", "source", null, ct);
        }
        var result = await faq.AddAsync(page!, question, answer, known && sourceId is not null ? source! : FaqService.StaffSource, known ? sourceId : null, ct);
        if (!result.Succeeded) return await Invalid(page!, question, answer, source, sourceId, result.Error!, result.Field, null, ct);
        TempData["Status"] = text["Faq.Added"].Value;
        return Redirect($"/staff/faq?page={Uri.EscapeDataString(page!)}#faq-entry-{result.Id}");
    }

    [HttpPost("{id:int}")]
    public async Task<IActionResult> Update(int id, string? question, string? answer, CancellationToken ct)
    {
        var entry = await faq.FindAsync(id, ct);
        if (entry is null) return NotFound();
        if (!await faq.CanEditAsync(User, entry.Page, ct)) return Forbid();
        var result = await faq.UpdateAsync(id, question, answer, ct);
        if (!result.Succeeded) return await Invalid(entry.Page, question, answer, null, null, result.Error!, result.Field, id, ct);
        TempData["Status"] = text["Faq.Updated"].Value;
        return Redirect($"/staff/faq?page={Uri.EscapeDataString(entry.Page)}#faq-entry-{id}");
    }

    [HttpPost("{id:int}/delete")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        var entry = await faq.FindAsync(id, ct);
        if (entry is null) return NotFound();
        if (!await faq.CanEditAsync(User, entry.Page, ct)) return Forbid();
        await faq.RemoveAsync(id, ct);
        TempData["Status"] = text["Faq.Removed"].Value;
        return Redirect($"/staff/faq?page={Uri.EscapeDataString(entry.Page)}");
    }

    private async Task<IActionResult> Invalid(string page, string? question, string? answer, string? source, long? sourceId, string errorKey, string? field, int? editing,
        CancellationToken ct)
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(nameof(Index), new FaqEditorView(page, await faq.ForPageAsync(page, ct), await faq.CandidatesAsync(page, ct), question, answer, source, sourceId,
            text[errorKey, FaqService.MaxQuestion, FaqService.MaxAnswer].Value, field, editing));
    }
}
