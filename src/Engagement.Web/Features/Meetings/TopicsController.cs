using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Meetings;

/// <summary>Public solicitation of meeting topics, and the yearly tracker of meetings with public representatives.</summary>
[Route("meetings")]
public sealed class TopicsController(TopicPollService polls, TimeProvider clock, IStringLocalizer<Platform.SharedResource> text) : Controller
{
    [HttpGet("topics"), AllowAnonymous]
    public async Task<IActionResult> Topics(CancellationToken ct) => View(await polls.PollsAsync(UserId, ct));

    [HttpPost("topics/{pollId:int}/vote"), Authorize(Roles = Roles.Resident)]
    public async Task<IActionResult> Vote(int pollId, int decisionId, CancellationToken ct)
    {
        var outcome = await polls.VoteAsync(pollId, decisionId, UserId!.Value, ct);
        if (outcome == VoteOutcome.NotFound) return NotFound();
        if (outcome != VoteOutcome.Counted)
        {
            Response.StatusCode = outcome == VoteOutcome.Duplicate ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
            ModelState.AddModelError("", text["Vote." + outcome]);
            return View(nameof(Topics), await polls.PollsAsync(UserId, ct));
        }
        TempData["Status"] = text["Vote.Counted"].Value;
        return Redirect($"/meetings/topics#poll-{pollId}");
    }

    [HttpPost("topics"), Authorize(Roles = Roles.Admin)]
    public async Task<IActionResult> Create(int year, string? title, DateTime? opensAt, DateTime? closesAt, CancellationToken ct)
    {
        int? id = Platform.Time.ChinaTime.IsPlausible(opensAt) && Platform.Time.ChinaTime.IsPlausible(closesAt)
            ? await polls.CreateAsync(User, year, title, Platform.Time.ChinaTime.FromChina(opensAt!.Value).ToUniversalTime(), Platform.Time.ChinaTime.FromChina(closesAt!.Value).ToUniversalTime(), ct)
            : null;
        if (id is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            ModelState.AddModelError("", text["Poll.Invalid"]);
            return View(nameof(Topics), await polls.PollsAsync(UserId, ct));
        }
        return Redirect($"/meetings/topics#poll-{id}");
    }

    [HttpGet("tracker"), AllowAnonymous]
    public async Task<IActionResult> Tracker(int? year, CancellationToken ct)
    {
        var y = year is >= 2000 and <= 2100 ? year.Value : Platform.Time.ChinaTime.Today(clock).Year;
        ViewData["Year"] = y;
        return View(await polls.TrackerAsync(y, ct));
    }

    private Guid? UserId => Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
