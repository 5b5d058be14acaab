using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Messages;

public sealed class MessageForm
{
    [Required(ErrorMessage = "Validation.Required"), StringLength(MessageRules.MaxLength, ErrorMessage = "Validation.Length")]
    [Display(Name = "Field.Message")]
    public string Text { get; set; } = "";

    public int? DecisionId { get; set; }

    public bool Consent { get; set; }
}

public sealed record BoardView(IReadOnlyList<PublicMessage> Items, int Total, int Page, int PageSize, int? UnitId, IReadOnlyList<Admin.Unit> Units,
    MessageForm Form, string? DecisionTitle);

/// <summary>The general message board, leaving a message (on the board or on a decision page), and one's own messages and replies.</summary>
[Route("messages")]
public sealed class MessagesController(MessageService messages, Platform.Data.EngagementDbContext db, IStringLocalizer<SharedResource> text) : Controller
{
    private const int PageSize = 20;

    [HttpGet(""), AllowAnonymous, Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Platform.Web.PublicPagePolicy.Name)]
    public async Task<IActionResult> Index(int? unit, int page = 1, CancellationToken ct = default) =>
        View(await BoardAsync(unit, page, new MessageForm(), ct));

    [HttpPost(""), Authorize(Roles = Roles.Resident), EnableRateLimiting(MessagesApi.RateLimit)]
    public async Task<IActionResult> Leave(MessageForm form, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var userId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
            var result = await messages.SubmitAsync(userId, new MessageInput(form.Text, form.DecisionId, form.Consent), ct);
            if (result.Succeeded)
            {
                TempData["Status"] = string.Format(text["Message.Received"], result.Message!.DueOn?.ToString("yyyy-MM-dd") ?? "—");
                return Redirect($"/messages/mine#message-{result.Message.Id}");
            }
            Response.StatusCode = result.Outcome == MessageOutcome.Duplicate ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
            ModelState.AddModelError(result.Field == "decisionId" ? "" : nameof(MessageForm.Text), result.Error!);
        }
        else
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        return View(nameof(Index), await BoardAsync(null, 1, form, ct));
    }

    [HttpGet("mine"), Authorize]
    public async Task<IActionResult> Mine(CancellationToken ct) =>
        View(await messages.MineAsync(Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!), ct));

    private async Task<BoardView> BoardAsync(int? unit, int page, MessageForm form, CancellationToken ct)
    {
        page = Math.Clamp(page, 1, 100_000);
        var (items, total) = await messages.PublishedAsync(null, unit, (page - 1) * PageSize, PageSize, ct);
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name).ToListAsync(ct);
        var title = form.DecisionId is { } id ? await db.Set<Consultation.Decision>().Where(d => d.Id == id).Select(d => d.Title).SingleOrDefaultAsync(ct) : null;
        return new BoardView(items, total, page, PageSize, unit, units, form, title);
    }
}

public sealed record PageMessagesView(string Page, int? DecisionId, IReadOnlyList<PublicMessage> Items, int Total, bool SignedIn, bool CanLeave);

/// <summary>On a decision page: its published messages with the four fields, and the form to leave one.</summary>
public sealed class PageMessagesViewComponent(MessageService messages) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string page, int? decisionId)
    {
        var (items, total) = await messages.PublishedAsync(page, null, 0, 50);
        var signedIn = User.Identity?.IsAuthenticated == true;
        return View(new PageMessagesView(page, decisionId, items, total, signedIn, signedIn && ((ClaimsPrincipal)User).IsInRole(Roles.Resident)));
    }
}
