using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Faq;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Messages;

public sealed record StaffQueueView(bool Open, IReadOnlyList<QueueRow> Rows);

public sealed record StaffMessageView(Message Message, string? Author, string? DecisionTitle, IReadOnlyList<Admin.Unit> Units, int? WorkingDaysLeft,
    bool Overdue, int? FaqEntryId, string? Error = null, string? ErrorField = null, string? Draft = null, int? OwnUnitId = null);

/// <summary>
/// Handling messages: the unit's queue with due dates (admins see every unit and the board's unassigned messages),
/// triage, reply, publication and turning a message into an FAQ entry of its page.
/// </summary>
[Authorize(Roles = Roles.StaffOrAdmin), Route("staff/messages")]
public sealed class StaffMessagesController(MessageService messages, FaqService faq, EngagementDbContext db, Calendar.CalendarService calendars,
    TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? show, CancellationToken ct)
    {
        var open = show != "replied";
        return View(new StaffQueueView(open, await messages.QueueAsync(User, open, ct)));
    }

    [HttpGet("{id:long}")]
    public async Task<IActionResult> Details(long id, CancellationToken ct) =>
        await ViewAsync(id, null, null, null, ct) is { } view ? View(view) : NotFound();

    [HttpPost("{id:long}/triage")]
    public async Task<IActionResult> Triage(long id, string? kind, int? unitId, bool simple, string? note, string? reply, CancellationToken ct)
    {
        var parsed = Enum.TryParse<MessageKind>(kind, out var k) ? k : MessageKind.Unsorted;
        // The answer may go with the assignment when the unit chosen is the person's own (or an admin's choice):
        // the office answering a question it can answer does it in one step.
        if (!string.IsNullOrWhiteSpace(reply) && parsed != MessageKind.Petition)
        {
            if (!await UnitAccess.CanActForAsync(db, User, unitId, ct))
            {
                return await Done(id, new MessageResult(MessageOutcome.Invalid, Field: "reply", Error: text["Message.ReplyOwnUnitOnly"]), "", reply, ct);
            }
            if (reply.Trim().Length > MessageRules.MaxReplyLength)
            {
                return await Done(id, new MessageResult(MessageOutcome.Invalid, Field: "reply",
                    Error: string.Format(text["Message.TooLong"], MessageRules.MaxReplyLength, reply.Trim().Length)), "", reply, ct);
            }
            var triaged = await messages.TriageAsync(id, User, parsed, unitId, simple, note, ct);
            if (triaged.Outcome != MessageOutcome.Done) return await Done(id, triaged, "", note, ct);
            return await Done(id, await messages.ReplyAsync(id, User, reply, ct), "Message.Replied", reply, ct);
        }
        return await Done(id, await messages.TriageAsync(id, User, parsed, unitId, simple, note, ct), "Message.Triaged", note, ct);
    }

    [HttpPost("{id:long}/reply")]
    public async Task<IActionResult> Reply(long id, string? reply, CancellationToken ct) =>
        await Done(id, await messages.ReplyAsync(id, User, reply, ct), "Message.Replied", reply, ct);

    [HttpPost("{id:long}/publish")]
    public async Task<IActionResult> Publish(long id, bool publish, string? publicText, CancellationToken ct) =>
        await Done(id, await messages.PublishAsync(id, User, publish, publicText, ct), publish ? "Message.Published" : "Message.Unpublished", null, ct);

    /// <summary>The message and its reply become an FAQ entry on the page it was left on (staff may reword both first).</summary>
    [HttpPost("{id:long}/faq")]
    public async Task<IActionResult> AddToFaq(long id, string? question, string? answer, CancellationToken ct)
    {
        var message = await messages.ForStaffAsync(id, User, ct);
        if (message is null) return NotFound();
        if (message.Status != MessageStatus.Replied)
        {
            return await Done(id, new MessageResult(MessageOutcome.Invalid, Field: "faq", Error: text["Message.PublishNeedsReply"]), "", null, ct);
        }
        var result = await faq.AddAsync(message.Page, question, answer, FaqService.MessageSource, id, ct);
        if (!result.Succeeded && result.Id is null)
        {
            return await Done(id, new MessageResult(MessageOutcome.Invalid, Field: "faq", Error: text[result.Error!]), "", null, ct);
        }
        TempData["Status"] = text[result.Succeeded ? "Faq.Added" : "Faq.AlreadyAdded"].Value;
        return Redirect($"/staff/messages/{id}#faq-form");
    }

    private async Task<IActionResult> Done(long id, MessageResult result, string statusKey, string? draft, CancellationToken ct)
    {
        switch (result.Outcome)
        {
            case MessageOutcome.Done:
                TempData["Status"] = text[statusKey].Value;
                return Redirect($"/staff/messages/{id}");
            case MessageOutcome.NotFound:
                return NotFound();
            case MessageOutcome.Forbidden:
                return Forbid();
        }
        var view = await ViewAsync(id, result.Error, result.Field, draft, ct);
        if (view is null) return NotFound();
        Response.StatusCode = result.Outcome == MessageOutcome.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return View(nameof(Details), view);
    }

    private async Task<StaffMessageView?> ViewAsync(long id, string? error, string? field, string? draft, CancellationToken ct)
    {
        var message = await messages.ForStaffAsync(id, User, ct);
        if (message is null) return null;
        var author = await db.Users.Where(u => u.Id == message.AuthorId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
        var title = await db.Set<Consultation.Decision>().Where(d => d.Id == message.DecisionId).Select(d => d.Title).SingleOrDefaultAsync(ct);
        var units = await db.Units.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.Kind).ThenBy(u => u.Name).ToListAsync(ct);
        var pending = message.Status is MessageStatus.Received or MessageStatus.Assigned;
        var today = ChinaTime.Today(clock);
        int? left = pending && message.DueOn is { } due ? Adoption.AdoptionRules.WorkingDaysLeft(await calendars.CurrentAsync(ct), today, due) : null;
        var inFaq = await db.Set<FaqEntry>().Where(f => f.Source == FaqService.MessageSource && f.SourceId == id).Select(f => (int?)f.Id).FirstOrDefaultAsync(ct);
        var own = (await UnitAccess.StaffUnitAsync(db, User, ct))?.UnitId;
        return new StaffMessageView(message, author, title, units, left, pending && MessageRules.IsOverdue(today, message.DueOn), inFaq, error, field, draft, own);
    }
}
