using System.Security.Claims;
using System.Security.Cryptography;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Faq;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Live;

public sealed record LiveIndexView(IReadOnlyList<LiveSession> Running, IReadOnlyList<LiveSession> Ended, bool CanHost, string? Code, string? Error,
    IReadOnlySet<int>? Hosted = null);

public sealed record LivePageView(LiveSession Session, string JoinUrl, bool IsHost, bool SignedIn, IReadOnlyList<LiveQuestion> Archive, string? Subject, string? SubjectUrl,
    bool CanAddFaq = false, IReadOnlySet<long>? InFaq = null);

public sealed record HostPanelView(LiveSession Session, IReadOnlyList<LiveQuestion> Questions, IReadOnlyList<LivePoll> Polls,
    IReadOnlyList<LiveParticipant> Blocked, IReadOnlyList<string> Hosts, int Participants, IReadOnlySet<long> InFaq);

public sealed record NewSessionView(NewSessionForm Form, IReadOnlyList<(int Id, string Title)> Events, IReadOnlyList<(int Id, string Title)> Meetings);

/// <summary>
/// Live Q&amp;A pages: the list and join-by-code form, the participant's page (the session's archive once it ended),
/// the projector, and the host's console. Hosts act through forms here or through the hub; both go through
/// <see cref="LiveService"/> and push the same events.
/// </summary>
[Route("live")]
public sealed class LiveController(LiveService live, LiveNotifier notifier, EngagementDbContext db, SiteLinks links, FaqService faq, TimeProvider clock,
    IStringLocalizer<Platform.SharedResource> text) : Controller
{
    private const string HostRoles = Roles.Host + "," + Roles.StaffOrAdmin;

    [HttpGet(""), AllowAnonymous]
    public async Task<IActionResult> Index(string? code, CancellationToken ct)
    {
        string? error = null;
        if (code is not null)
        {
            if (await live.FindAsync(code, ct) is { } found) return Redirect($"/live/{found.JoinCode}");
            error = text["Live.Error.NotFound"];
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        var sessions = await db.Set<LiveSession>().AsNoTracking().OrderByDescending(s => s.CreatedAt).Take(200).ToListAsync(ct);
        var running = sessions.Where(s => s.Status == LiveSessionStatus.Open).ToList();
        var hosted = new HashSet<int>();
        if (CanHost)
        {
            foreach (var s in running) if (await live.IsHostAsync(s.Id, User, ct)) hosted.Add(s.Id);
        }
        return View(new LiveIndexView(running, sessions.Where(s => s.Status == LiveSessionStatus.Ended).ToList(), CanHost, code, error, hosted));
    }

    [HttpGet("new"), Authorize(Roles = HostRoles)]
    public async Task<IActionResult> New(int? eventId, int? meetingId, CancellationToken ct) =>
        View(await NewViewAsync(new NewSessionForm(null, null, eventId, meetingId, false, LiveModeration.Post), ct));

    [HttpPost("new"), Authorize(Roles = HostRoles)]
    public async Task<IActionResult> Create(string? title, string? description, string? attachTo, bool requireSignIn, LiveModeration moderation, CancellationToken ct)
    {
        int? eventId = attachTo?.StartsWith("event:") == true && int.TryParse(attachTo[6..], out var e) ? e : null;
        int? meetingId = attachTo?.StartsWith("meeting:") == true && int.TryParse(attachTo[8..], out var m) ? m : null;
        var form = new NewSessionForm(title, description, eventId, meetingId, requireSignIn, moderation);
        (string Field, string Message)? error = null;
        if (string.IsNullOrWhiteSpace(title) || title.Trim().Length > 200) error = (nameof(title), text["Live.Error.Title"]);
        else if ((description?.Length ?? 0) > 2000) error = (nameof(description), text["Live.Error.Description"]);
        else if (!Enum.IsDefined(moderation)) error = (nameof(moderation), text["Live.Error.Moderation"]);
        else if (eventId is { } ev && !await db.Set<OpenEvent>().AnyAsync(x => x.Id == ev, ct)) error = (nameof(attachTo), text["Live.Error.Attach"]);
        else if (meetingId is { } mt && !await db.Set<Meeting>().AnyAsync(x => x.Id == mt, ct)) error = (nameof(attachTo), text["Live.Error.Attach"]);
        if (error is { } wrong)
        {
            // The one error pattern: the layout's summary links to the field, which says what is wrong beside it.
            ModelState.Clear();
            ModelState.AddModelError(wrong.Field, wrong.Message);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("New", await NewViewAsync(form, ct));
        }
        var session = await live.CreateAsync(form, UserId!.Value, ct);
        TempData["Status"] = text["Live.Created", session.JoinCode].Value;
        return Redirect($"/live/{session.JoinCode}/host");
    }

    private async Task<NewSessionView> NewViewAsync(NewSessionForm form, CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddDays(-30);
        var events = await db.Set<OpenEvent>().Where(e => e.EndsAt >= since).OrderBy(e => e.StartsAt).Select(e => new { e.Id, e.Title }).ToListAsync(ct);
        var meetings = await db.Set<Meeting>().Where(m => m.HeldAt >= since).OrderBy(m => m.HeldAt).Select(m => new { m.Id, m.Title }).ToListAsync(ct);
        return new NewSessionView(form, events.Select(e => (e.Id, e.Title)).ToList(), meetings.Select(m => (m.Id, m.Title)).ToList());
    }

    /// <summary>The participant's page while the session runs; its archive of answered questions after it ends.</summary>
    [HttpGet("{code}"), AllowAnonymous]
    public async Task<IActionResult> Session(string code, CancellationToken ct)
    {
        if (await live.FindAsync(code, ct) is not { } session) return NotFound();
        if (Request.Cookies[LiveHub.ParticipantCookie] is null)
        {
            Response.Cookies.Append(LiveHub.ParticipantCookie, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(), new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = Request.IsHttps, IsEssential = true, MaxAge = TimeSpan.FromDays(30), Path = "/",
            });
        }
        var archive = session.Status == LiveSessionStatus.Ended ? await ArchiveAsync(session.Id, ct) : [];
        var (subject, subjectUrl) = await SubjectAsync(session, ct);
        var isHost = await live.IsHostAsync(session.Id, User, ct);
        var canAddFaq = archive.Count > 0 && (isHost || IsStaff);
        return View(new LivePageView(session, JoinUrl(session), isHost, User.Identity?.IsAuthenticated == true, archive, subject, subjectUrl,
            canAddFaq, canAddFaq ? await faq.LiveQuestionsInFaqAsync(session.Id, ct) : null));
    }

    [HttpGet("{code}/projector"), AllowAnonymous]
    public async Task<IActionResult> Projector(string code, CancellationToken ct)
    {
        if (await live.FindAsync(code, ct) is not { } session) return NotFound();
        return View(new LivePageView(session, JoinUrl(session), false, false, [], null, null));
    }

    /// <summary>The join link as a QR code, for slides and the projector.</summary>
    [HttpGet("{code}/qr.svg"), AllowAnonymous]
    public async Task<IActionResult> Qr(string code, CancellationToken ct)
    {
        if (await live.FindAsync(code, ct) is not { } session) return NotFound();
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(JoinUrl(session), QRCoder.QRCodeGenerator.ECCLevel.M);
        return Content(new QRCoder.SvgQRCode(data).GetGraphic(8), "image/svg+xml");
    }

    [HttpGet("{code}/host"), Authorize]
    public async Task<IActionResult> Host(string code, CancellationToken ct)
    {
        if (await HostSessionAsync(code, ct) is not { } session) return Forbid();
        return View(await PanelAsync(session, ct));
    }

    /// <summary>The host's queue and questions as HTML, fetched again by the console when the hub says something changed.</summary>
    [HttpGet("{code}/host/panel"), Authorize]
    public async Task<IActionResult> Panel(string code, CancellationToken ct)
    {
        if (await HostSessionAsync(code, ct) is not { } session) return Forbid();
        return PartialView("_HostPanel", await PanelAsync(session, ct));
    }

    [HttpPost("{code}/host/questions/{id:long}/{verb}"), Authorize]
    public async Task<IActionResult> Moderate(string code, long id, string verb, string? answer, long? into, CancellationToken ct)
    {
        if (await HostSessionAsync(code, ct) is not { } session) return Forbid();
        if (verb == "faq")
        {
            var added = await faq.AddFromLiveQuestionAsync(session.Id, id, ct);
            return Done(session, added ? null : LiveRefusal.NotFound, text["Live.FaqAdded"]);
        }
        LiveOutcome? outcome = verb switch
        {
            "approve" => await live.ApproveAsync(session.Id, id, ct),
            "hide" => await live.HideAsync(session.Id, id, ct),
            "pin" => await live.PinAsync(session.Id, id, ct),
            "unpin" => await live.PinAsync(session.Id, null, ct),
            // An empty written answer is a slip, not "answered": the host is pointed to "answered live" instead.
            "answer" when string.IsNullOrWhiteSpace(answer) => LiveOutcome.Refused(LiveRefusal.EmptyAnswer),
            "answer" => await live.AnswerAsync(session.Id, id, answer, ct),
            "answer-live" => await live.AnswerAsync(session.Id, id, null, ct),
            "merge" when into is { } target => await live.MergeAsync(session.Id, id, target, ct),
            "merge" => LiveOutcome.Refused(LiveRefusal.NotFound),
            _ => null,
        };
        if (outcome is null) return NotFound();
        return await SendAsync(session, outcome);
    }

    /// <summary>From the archive: staff (or the session's hosts) turn an answered question into an FAQ entry of its page.</summary>
    [HttpPost("{code}/faq/{id:long}"), Authorize]
    public async Task<IActionResult> AddToFaq(string code, long id, CancellationToken ct)
    {
        if (await live.FindAsync(code, ct) is not { } session) return NotFound();
        if (!IsStaff && !await live.IsHostAsync(session.Id, User, ct)) return Forbid();
        if (!await faq.AddFromLiveQuestionAsync(session.Id, id, ct))
        {
            TempData["Error"] = LiveMessages.For(text, LiveRefusal.NotFound);
        }
        else
        {
            TempData["Status"] = text["Live.FaqAdded"].Value;
        }
        return Redirect($"/live/{session.JoinCode}#archived-{id}");
    }

    [HttpPost("{code}/host/participants/{id:long}/block"), Authorize]
    public async Task<IActionResult> Block(string code, long id, CancellationToken ct) =>
        await HostSessionAsync(code, ct) is { } session ? await SendAsync(session, await live.BlockAsync(session.Id, id, ct)) : Forbid();

    [HttpPost("{code}/host/polls"), Authorize]
    public async Task<IActionResult> OpenPoll(string code, string? question, bool multiple, string? options, CancellationToken ct) =>
        await HostSessionAsync(code, ct) is { } session
            ? await SendAsync(session, await live.OpenPollAsync(session.Id, question, multiple, (options ?? "").Split('\n'), ct))
            : Forbid();

    [HttpPost("{code}/host/polls/{id:int}/close"), Authorize]
    public async Task<IActionResult> ClosePoll(string code, int id, CancellationToken ct) =>
        await HostSessionAsync(code, ct) is { } session ? await SendAsync(session, await live.ClosePollAsync(session.Id, id, ct)) : Forbid();

    [HttpPost("{code}/host/cohosts"), Authorize]
    public async Task<IActionResult> AddCoHost(string code, string? email, CancellationToken ct)
    {
        if (await HostSessionAsync(code, ct) is not { } session) return Forbid();
        return Done(session, await live.AddCoHostAsync(session.Id, email, ct), text["Live.CoHostAdded"]);
    }

    [HttpPost("{code}/host/end"), Authorize]
    public async Task<IActionResult> End(string code, CancellationToken ct) =>
        await HostSessionAsync(code, ct) is { } session ? await SendAsync(session, await live.EndAsync(session.Id, ct)) : Forbid();

    private async Task<IActionResult> SendAsync(LiveSession session, LiveOutcome outcome)
    {
        if (outcome.Succeeded) await notifier.SendAsync(session.Id, outcome.Changes);
        return Done(session, outcome.Refusal, null);
    }

    /// <summary>Back to the console with a message; a script that posted the form gets 204 or 422 with the reason instead.</summary>
    private IActionResult Done(LiveSession session, LiveRefusal? refusal, string? success)
    {
        var scripted = Request.Headers["X-Requested-With"] == "fetch";
        if (refusal is { } r)
        {
            var message = LiveMessages.For(text, r);
            if (scripted) return UnprocessableEntity(new { error = message });
            TempData["Error"] = message;
        }
        else if (scripted)
        {
            return NoContent();
        }
        else if (success is not null)
        {
            TempData["Status"] = success;
        }
        return Redirect($"/live/{session.JoinCode}/host");
    }

    private async Task<LiveSession?> HostSessionAsync(string code, CancellationToken ct) =>
        await live.FindAsync(code, ct) is { } session && await live.IsHostAsync(session.Id, User, ct) ? session : null;

    private async Task<HostPanelView> PanelAsync(LiveSession session, CancellationToken ct)
    {
        var questions = await db.Set<LiveQuestion>().AsNoTracking().Include(q => q.Participant).Where(q => q.SessionId == session.Id)
            .OrderByDescending(q => q.Id).Take(500).ToListAsync(ct);
        var polls = await db.Set<LivePoll>().AsNoTracking().Include(p => p.Options).Where(p => p.SessionId == session.Id).OrderByDescending(p => p.Id).Take(20).ToListAsync(ct);
        var blocked = await db.Set<LiveParticipant>().AsNoTracking().Where(p => p.SessionId == session.Id && p.Blocked).ToListAsync(ct);
        var hosts = await db.Set<LiveHost>().Where(h => h.SessionId == session.Id).Select(h => h.User!.DisplayName + " <" + h.User.Email + ">").ToListAsync(ct);
        var participants = await db.Set<LiveParticipant>().CountAsync(p => p.SessionId == session.Id, ct);
        var inFaq = await faq.LiveQuestionsInFaqAsync(session.Id, ct);
        return new HostPanelView(session, questions, polls, blocked, hosts, participants, inFaq);
    }

    private Task<List<LiveQuestion>> ArchiveAsync(int sessionId, CancellationToken ct) =>
        db.Set<LiveQuestion>().AsNoTracking().Include(q => q.Participant)
            .Where(q => q.SessionId == sessionId && q.Status == LiveQuestionStatus.Answered)
            .OrderByDescending(q => q.Votes).ThenBy(q => q.Id).ToListAsync(ct);

    /// <summary>The event or meeting the session belongs to: its title, and its page (where the archive and FAQ appear).</summary>
    private async Task<(string?, string?)> SubjectAsync(LiveSession session, CancellationToken ct)
    {
        var title = session.EventId is { } e ? await db.Set<OpenEvent>().Where(x => x.Id == e).Select(x => x.Title).SingleOrDefaultAsync(ct)
            : session.MeetingId is { } m ? await db.Set<Meeting>().Where(x => x.Id == m).Select(x => x.Title).SingleOrDefaultAsync(ct)
            : null;
        return title is null ? (null, null) : (title, FaqService.PageOf(session));
    }

    private string JoinUrl(LiveSession session) => links.Absolute($"/live/{session.JoinCode}");

    private bool IsStaff => User.IsInRole(Roles.Staff) || User.IsInRole(Roles.Admin);

    private bool CanHost => User.IsInRole(Roles.Host) || User.IsInRole(Roles.Staff) || User.IsInRole(Roles.Admin);

    private Guid? UserId => Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
