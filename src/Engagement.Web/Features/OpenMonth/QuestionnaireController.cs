using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.OpenMonth;

public sealed record QuestionnaireView(OpenEvent Event, IReadOnlyList<Question> Questions, bool Answered, string? Error)
{
    /// <summary>Why this person cannot answer now (not registered, not yet open, closed); null when they can.</summary>
    public string? Refusal { get; init; }
}

public sealed record ResultsView(OpenEvent Event, int Responses, IReadOnlyList<QuestionResult> Results);

public sealed record StaffQuestionnaireView(OpenEvent Event, IReadOnlyList<Question> Questions, int Responses, string? Error,
    IReadOnlyList<PendingText> Pending, DateTimeOffset ClosesAt);

/// <summary>An event's questionnaire: answering it, its public results, and the organiser's side (questions, the summary afterwards).</summary>
public sealed class QuestionnaireController(QuestionnaireService questionnaires, EventAuthoring authoring, EngagementDbContext db, TimeProvider clock,
    IStringLocalizer<Platform.SharedResource> text) : Controller
{
    [HttpGet("events/{id:int}/questionnaire"), Authorize(Roles = Roles.Resident)]
    public async Task<IActionResult> Answer(int id, CancellationToken ct) => await ShowAsync(id, null, ct);

    [HttpPost("events/{id:int}/questionnaire"), Authorize(Roles = Roles.Resident)]
    public async Task<IActionResult> Answer(int id, IFormCollection form, CancellationToken ct)
    {
        var answers = form.Keys.Where(k => k.StartsWith('q') && int.TryParse(k[1..], out _))
            .ToDictionary(k => int.Parse(k[1..]), k => form[k].Select(v => v ?? "").ToArray());
        var (outcome, error) = await questionnaires.AnswerAsync(id, UserId, answers, ct);
        switch (outcome)
        {
            case AnswerOutcome.NotFound:
                return NotFound();
            case AnswerOutcome.Saved:
                TempData["Status"] = text["Answer.Saved"].Value;
                return Redirect($"/events/{id}/questionnaire/results");
            default:
                Response.StatusCode = outcome switch
                {
                    AnswerOutcome.NotRegistered => StatusCodes.Status403Forbidden,
                    AnswerOutcome.Duplicate or AnswerOutcome.NotYetOpen or AnswerOutcome.Closed => StatusCodes.Status409Conflict,
                    _ => StatusCodes.Status422UnprocessableEntity,
                };
                return await ShowAsync(id, error, ct);
        }
    }

    [HttpGet("events/{id:int}/questionnaire/results"), AllowAnonymous]
    public async Task<IActionResult> Results(int id, CancellationToken ct)
    {
        var ev = await db.Set<OpenEvent>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (ev is null) return NotFound();
        var (responses, results) = await questionnaires.ResultsAsync(id, ct);
        return View(new ResultsView(ev, responses, results));
    }

    [HttpGet("staff/events/{id:int}/questionnaire"), Authorize(Roles = Roles.StaffOrAdmin)]
    public async Task<IActionResult> Build(int id, CancellationToken ct) => await StaffViewAsync(id, null, ct);

    [HttpPost("staff/events/{id:int}/questionnaire/questions"), Authorize(Roles = Roles.StaffOrAdmin)]
    public async Task<IActionResult> AddQuestion(int id, QuestionKind kind, string? question, bool required, string? options, CancellationToken ct)
    {
        var ev = await db.Set<OpenEvent>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (ev is null) return NotFound();
        if (!await authoring.CanScheduleAsync(User, ev.UnitId, ct)) return Forbid();
        if (await questionnaires.AddQuestionAsync(id, kind, question, required, options, ct) is { } error)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await StaffViewAsync(id, error, ct);
        }
        return Redirect($"/staff/events/{id}/questionnaire");
    }

    [HttpPost("staff/events/{id:int}/questionnaire/answers/{answerId:long}/approve"), Authorize(Roles = Roles.StaffOrAdmin)]
    public Task<IActionResult> Approve(int id, long answerId, CancellationToken ct) => ReviewAsync(id, answerId, "approve", ct);

    [HttpPost("staff/events/{id:int}/questionnaire/answers/{answerId:long}/reject"), Authorize(Roles = Roles.StaffOrAdmin)]
    public Task<IActionResult> Reject(int id, long answerId, CancellationToken ct) => ReviewAsync(id, answerId, "reject", ct);

    private async Task<IActionResult> ReviewAsync(int id, long answerId, string decision, CancellationToken ct)
    {
        var ev = await db.Set<OpenEvent>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (ev is null) return NotFound();
        if (!await authoring.CanScheduleAsync(User, ev.UnitId, ct)) return Forbid();
        if (!await questionnaires.ReviewAsync(id, answerId, decision == "approve", ct)) return NotFound();
        return Redirect($"/staff/events/{id}/questionnaire#pending");
    }

    [HttpPost("staff/events/{id:int}/questionnaire/closes"), Authorize(Roles = Roles.StaffOrAdmin)]
    public async Task<IActionResult> Closes(int id, DateTime? closesAt, CancellationToken ct)
    {
        var ev = await db.Set<OpenEvent>().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (ev is null) return NotFound();
        if (!await authoring.CanScheduleAsync(User, ev.UnitId, ct)) return Forbid();
        if (closesAt is { Year: < 2000 or > 2100 })
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await StaffViewAsync(id, text["Questionnaire.ClosesBeforeStart"], ct);
        }
        var closes = closesAt is { } local ? Platform.Time.ChinaTime.FromChina(local).ToUniversalTime() : (DateTimeOffset?)null;
        if (closes is { } c && c <= ev.StartsAt)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await StaffViewAsync(id, text["Questionnaire.ClosesBeforeStart"], ct);
        }
        ev.QuestionnaireClosesAt = closes;
        await db.SaveChangesAsync(ct);
        return Redirect($"/staff/events/{id}/questionnaire");
    }

    [HttpPost("staff/events/{id:int}/summary"), Authorize(Roles = Roles.StaffOrAdmin)]
    public async Task<IActionResult> Summary(int id, string? summary, CancellationToken ct)
    {
        var ev = await db.Set<OpenEvent>().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (ev is null) return NotFound();
        if (!await authoring.CanScheduleAsync(User, ev.UnitId, ct)) return Forbid();
        summary = Consultation.Comments.Clean(summary ?? "");
        if (summary.Length is 0 or > 4000)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await StaffViewAsync(id, text["Summary.Length"], ct);
        }
        ev.Summary = Platform.Privacy.PersonalDataMasker.Mask(summary).Masked;
        ev.SummaryPublishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return Redirect($"/events/{id}#summary");
    }

    private Guid UserId => Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);

    private async Task<IActionResult> ShowAsync(int id, string? error, CancellationToken ct)
    {
        var ev = await db.Set<OpenEvent>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (ev is null) return NotFound();
        var answered = await db.Set<QuestionnaireParticipation>().AnyAsync(p => p.EventId == id && p.UserId == UserId, ct);
        var refusal = answered ? null : (await questionnaires.MayAnswerAsync(id, UserId, ct))?.Error;
        return View("Answer", new QuestionnaireView(ev, await questionnaires.QuestionsAsync(id, ct), answered, error) { Refusal = error is null ? refusal : null });
    }

    private async Task<IActionResult> StaffViewAsync(int id, string? error, CancellationToken ct)
    {
        var ev = await db.Set<OpenEvent>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (ev is null) return NotFound();
        if (!await authoring.CanScheduleAsync(User, ev.UnitId, ct)) return Forbid();
        var responses = await db.Set<QuestionnaireResponse>().CountAsync(r => r.EventId == id, ct);
        return View("Build", new StaffQuestionnaireView(ev, await questionnaires.QuestionsAsync(id, ct), responses, error,
            await questionnaires.PendingTextsAsync(id, ct), QuestionnaireService.ClosesAt(ev)));
    }
}
