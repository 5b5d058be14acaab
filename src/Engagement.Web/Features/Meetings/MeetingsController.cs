using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Meetings;

/// <summary>The public side of meetings: the list, one meeting with its draw, applying, confirming, and checking the draw.</summary>
[Route("meetings")]
public sealed class MeetingsController(MeetingService meetings, TopicPollService polls, IStringLocalizer<Platform.SharedResource> text) : Controller
{
    [HttpGet(""), AllowAnonymous, Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Platform.Web.PublicPagePolicy.Name)]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await meetings.ListAsync(ct));

    [HttpGet("{id:int}"), AllowAnonymous, Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Platform.Web.PublicPagePolicy.Name)]
    public async Task<IActionResult> Details(int id, CancellationToken ct) =>
        await PageAsync(id, new ApplicationForm(), ct) is { } view ? View(view) : NotFound();

    [HttpGet("{id:int}/check"), AllowAnonymous]
    public async Task<IActionResult> Check(int id, CancellationToken ct) =>
        await meetings.SummaryAsync(id, ct) is { } meeting ? View(meeting) : NotFound();

    [HttpPost("{id:int}/apply"), Authorize(Roles = Roles.Resident)]
    public async Task<IActionResult> Apply(int id, ApplicationForm form, CancellationToken ct)
    {
        var result = await meetings.ApplyAsync(id, UserId, form, ct);
        switch (result.Outcome)
        {
            case ApplyOutcome.Created:
                TempData["Status"] = string.Format(text["Apply.Received"], result.Application!.PublicId);
                return Redirect($"/meetings/{id}#mine");
            case ApplyOutcome.NotFound:
                return NotFound();
            default:
                Response.StatusCode = result.Outcome == ApplyOutcome.Duplicate ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
                ModelState.AddModelError(result.Field ?? "", result.Error!);
                return View(nameof(Details), (await PageAsync(id, form, ct))!);
        }
    }

    [HttpPost("{id:int}/respond"), Authorize(Roles = Roles.Resident)]
    public async Task<IActionResult> Respond(int id, bool confirm, CancellationToken ct)
    {
        var result = await meetings.RespondAsync(id, UserId, confirm, ct);
        if (result.Outcome == MeetingActionOutcome.NotFound) return NotFound();
        if (result.Outcome != MeetingActionOutcome.Done)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            ModelState.AddModelError("", result.Error!);
            return View(nameof(Details), (await PageAsync(id, new ApplicationForm(), ct))!);
        }
        TempData["Status"] = text[confirm ? "Respond.Confirmed" : "Respond.Declined"].Value;
        return Redirect($"/meetings/{id}#mine");
    }

    private Guid UserId => Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);

    private async Task<MeetingPageView?> PageAsync(int id, ApplicationForm form, CancellationToken ct)
    {
        var draw = await meetings.DrawAsync(id, ct);
        var meeting = await meetings.SummaryAsync(id, ct);
        if (meeting is null || draw is null) return null;
        MyApplication? mine = null;
        if (User.Identity?.IsAuthenticated == true && Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            mine = await meetings.MineAsync(id, userId, ct);
        }
        var unit = await meetings.UnitOfAsync(id, ct);
        // The solicitation that closed last before the meeting: its tally is shown beside the topics chosen.
        var poll = await polls.LastClosedBeforeAsync(meeting.HeldAt, ct);
        return new MeetingPageView(meeting, draw, draw.Quotas, mine, form, await meetings.OpinionsAsync(id, null, ct), await meetings.CanManageAsync(User, unit, ct), poll);
    }
}
