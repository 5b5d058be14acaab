using Microsoft.AspNetCore.DataProtection;
using System.Security.Claims;
using System.Security.Cryptography;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Features.Meetings;

/// <summary>
/// Public representatives at meetings (2022 §四(一), 2023 §十八, tasks 42-44): applications, eligibility, the frozen
/// list, the seeded draw (<see cref="RepresentativeDraw"/>), confirmations and seats passed on.
/// </summary>
public sealed class MeetingService(EngagementDbContext db, TimeProvider clock, CalendarService calendars, Platform.Outbox.Outbox outbox,
    AuditWriter audit, IOptions<MeetingOptions> options, IStringLocalizer<SharedResource> text, Platform.Web.SiteLinks links,
    Microsoft.AspNetCore.DataProtection.IDataProtectionProvider protection, Platform.Telemetry.EngagementMetrics metrics)
{
    /// <summary>Keeps each meeting's draw secret unreadable in the database (and its backups) until the reveal.</summary>
    private Microsoft.AspNetCore.DataProtection.IDataProtector Secrets => protection.CreateProtector("Engagement.Meetings.DrawSecret");

    private const string PublicIdAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    /// <summary>Eight characters from 32 (40 random bits): short enough to read out, not guessable, nothing personal.</summary>
    public static string NewPublicId() => new(Enumerable.Range(0, 8).Select(_ => PublicIdAlphabet[RandomNumberGenerator.GetInt32(PublicIdAlphabet.Length)]).ToArray());

    /// <summary>Admins manage every meeting; staff manage their own unit's head meetings.</summary>
    public Task<bool> CanManageAsync(ClaimsPrincipal user, int? meetingUnitId, CancellationToken ct = default) =>
        UnitAccess.CanActForAsync(db, user, meetingUnitId, ct);

    public async Task<ApplyResult> ApplyAsync(int meetingId, Guid userId, ApplicationForm form, CancellationToken ct = default)
    {
        var meeting = await db.Set<Meeting>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == meetingId, ct);
        if (meeting is null) return new ApplyResult(ApplyOutcome.NotFound);
        var now = clock.GetUtcNow();
        if (!meeting.IsTakingApplications(now))
        {
            return new ApplyResult(ApplyOutcome.Closed, Error: now < meeting.ApplicationsOpenAt
                ? string.Format(text["Apply.NotYet"], ChinaTime.ToChina(meeting.ApplicationsOpenAt).ToString("yyyy-MM-dd HH:mm"))
                : string.Format(text["Apply.Closed"], ChinaTime.ToChina(meeting.ApplicationsCloseAt).ToString("yyyy-MM-dd HH:mm")));
        }
        var existing = await db.Set<RepresentativeApplication>().Where(a => a.MeetingId == meetingId && a.UserId == userId).Select(a => a.PublicId).FirstOrDefaultAsync(ct);
        if (existing is not null) return new ApplyResult(ApplyOutcome.Duplicate, Error: string.Format(text["Apply.Duplicate"], existing), ExistingPublicId: existing);

        var name = Comments.Clean(form.RealName ?? "");
        if (name.Length is 0 or > 50) return new ApplyResult(ApplyOutcome.Invalid, Field: nameof(form.RealName), Error: text["Apply.RealName"]);
        var phone = Platform.Privacy.MobileNumber.Normalise(form.Phone);
        if (!Platform.Privacy.MobileNumber.IsValid(phone)) return new ApplyResult(ApplyOutcome.Invalid, Field: nameof(form.Phone), Error: text["Validation.Phone"]);
        if (!RepresentativeDraw.TryParseCategory(form.Category, out var category)) return new ApplyResult(ApplyOutcome.Invalid, Field: nameof(form.Category), Error: text["Apply.Category"]);
        if (form.Connection is not { } connection || !Enum.IsDefined(connection)) return new ApplyResult(ApplyOutcome.Invalid, Field: nameof(form.Connection), Error: text["Apply.Connection"]);
        var statement = Comments.Clean(form.Statement ?? "");
        if (statement.Length > 500) return new ApplyResult(ApplyOutcome.Invalid, Field: nameof(form.Statement), Error: string.Format(text["Comment.TooLong"], 500, statement.Length));
        if (!form.Consent) return new ApplyResult(ApplyOutcome.Invalid, Field: nameof(form.Consent), Error: text["Apply.Consent"]);

        var application = new RepresentativeApplication
        {
            MeetingId = meetingId, UserId = userId, PublicId = NewPublicId(), RealName = name, Phone = phone, Category = category,
            Connection = connection, Statement = statement.Length == 0 ? null : statement, ConsentedAt = now, Status = ApplicationStatus.Eligible,
            CreatedAt = now,
        };
        db.Add(application);
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(ct);
        if (email is not null)
        {
            outbox.Email(email, string.Format(text["Mail.Applied.Subject"], meeting.Title),
                string.Format(text["Mail.Applied.Body"], name, meeting.Title, application.PublicId, ChinaTime.ToChina(meeting.ApplicationsCloseAt).ToString("yyyy-MM-dd HH:mm")));
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two submissions at once: the unique index let one in.
            db.ChangeTracker.Clear();
            var first = await db.Set<RepresentativeApplication>().Where(a => a.MeetingId == meetingId && a.UserId == userId).Select(a => a.PublicId).FirstOrDefaultAsync(ct);
            if (first is null) throw;
            return new ApplyResult(ApplyOutcome.Duplicate, Error: string.Format(text["Apply.Duplicate"], first), ExistingPublicId: first);
        }
        metrics.ApplicationReceived();
        return new ApplyResult(ApplyOutcome.Created, application);
    }

    /// <summary>Staff mark an application ineligible with a reason the applicant sees, or eligible again; only before the list is frozen.</summary>
    public async Task<MeetingActionResult> SetEligibilityAsync(long applicationId, ClaimsPrincipal user, bool eligible, string? reason, CancellationToken ct = default)
    {
        var application = await db.Set<RepresentativeApplication>().Include(a => a.Meeting).Include(a => a.User).SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        if (application is null) return MeetingActionResult.NotFound;
        if (!await CanManageAsync(user, application.Meeting!.UnitId, ct)) return MeetingActionResult.Forbidden;
        await FreezeIfDueAsync(application.MeetingId, ct);
        if (await db.Set<Meeting>().AnyAsync(m => m.Id == application.MeetingId && m.FrozenAt != null, ct))
        {
            return new MeetingActionResult(MeetingActionOutcome.Conflict, text["Eligibility.Frozen"]);
        }
        reason = Comments.Clean(reason ?? "");
        if (!eligible && reason.Length is 0 or > 500) return new MeetingActionResult(MeetingActionOutcome.Invalid, text["Eligibility.Reason"]);
        var before = new { application.Status, application.IneligibleReason };
        application.Status = eligible ? ApplicationStatus.Eligible : ApplicationStatus.Ineligible;
        application.IneligibleReason = eligible ? null : reason;
        audit.Record("application.eligibility", nameof(RepresentativeApplication), application.PublicId, before, new { application.Status, application.IneligibleReason });
        if (application.User?.Email is { } email)
        {
            using var culture = MailCulture.Default();
            outbox.Email(email, string.Format(text["Mail.Eligibility.Subject"], application.Meeting.Title),
                eligible ? string.Format(text["Mail.Eligible.Body"], application.RealName, application.Meeting.Title, application.PublicId)
                         : string.Format(text["Mail.Ineligible.Body"], application.RealName, application.Meeting.Title, reason));
        }
        await db.SaveChangesAsync(ct);
        return MeetingActionResult.Done;
    }

    /// <summary>
    /// Once the window has closed, freezes the eligible list and publishes its fingerprint with the time, and the
    /// server's commitment to a fresh random secret (DrawCommitment). Done by whoever first looks after the close (a
    /// conditional update, so it happens once).
    /// </summary>
    public async Task FreezeIfDueAsync(int meetingId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var due = await db.Set<Meeting>().AnyAsync(m => m.Id == meetingId && m.FrozenAt == null && m.ApplicationsCloseAt <= now, ct);
        if (!due)
        {
            await CommitIfMissingAsync(meetingId, ct);
            return;
        }
        var eligible = await EligibleAsync(meetingId, ct);
        var hash = RepresentativeDraw.ApplicationsHash(eligible);
        var secret = DrawCommitment.NewSecret();
        var commitment = DrawCommitment.Commit(secret);
        var protectedSecret = Secrets.Protect(secret);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var frozen = await db.Set<Meeting>().Where(m => m.Id == meetingId && m.FrozenAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.FrozenAt, now).SetProperty(m => m.ApplicationsHash, hash)
                .SetProperty(m => m.Commitment, commitment).SetProperty(m => m.CommittedAt, now).SetProperty(m => m.SecretProtected, protectedSecret), ct);
        if (frozen == 0) return;
        audit.Record("meeting.freeze", nameof(Meeting), meetingId.ToString(), null, new { ApplicationsHash = hash, Count = eligible.Count, FrozenAt = now });
        audit.Record("meeting.commit", nameof(Meeting), meetingId.ToString(), null, new { Commitment = commitment, CommittedAt = now });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>A list frozen before commitments existed, and not drawn yet, gets its commitment now (and its result is taken only after this).</summary>
    private async Task CommitIfMissingAsync(int meetingId, CancellationToken ct)
    {
        if (!await db.Set<Meeting>().AnyAsync(m => m.Id == meetingId && m.FrozenAt != null && m.Commitment == null && m.Seed == null, ct)) return;
        var now = clock.GetUtcNow();
        var secret = DrawCommitment.NewSecret();
        var commitment = DrawCommitment.Commit(secret);
        var protectedSecret = Secrets.Protect(secret);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var done = await db.Set<Meeting>().Where(m => m.Id == meetingId && m.Commitment == null && m.Seed == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Commitment, commitment).SetProperty(m => m.CommittedAt, now).SetProperty(m => m.SecretProtected, protectedSecret), ct);
        if (done == 0) return;
        audit.Record("meeting.commit", nameof(Meeting), meetingId.ToString(), null, new { Commitment = commitment, CommittedAt = now });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private async Task<List<DrawApplicant>> EligibleAsync(int meetingId, CancellationToken ct) =>
        (await db.Set<RepresentativeApplication>().AsNoTracking().Where(a => a.MeetingId == meetingId && a.Status == ApplicationStatus.Eligible)
            .Select(a => new { a.PublicId, a.Category }).ToListAsync(ct))
        .Select(a => new DrawApplicant(a.PublicId, a.Category)).OrderBy(a => a.PublicId, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The announced public result, entered exactly as published once it exists, and the draw it decides: refused
    /// before the list is frozen, before the announced draw time, for another draw than the one announced, and a
    /// second time. The secret committed at the freeze is revealed, and the seed is derived from both.
    /// </summary>
    public async Task<MeetingActionResult> EnterSeedAsync(int meetingId, ClaimsPrincipal user, string? result, CancellationToken ct = default)
    {
        var meeting = await db.Set<Meeting>().Include(m => m.Quotas).SingleOrDefaultAsync(m => m.Id == meetingId, ct);
        if (meeting is null) return MeetingActionResult.NotFound;
        if (!await CanManageAsync(user, meeting.UnitId, ct)) return MeetingActionResult.Forbidden;
        result = Comments.Clean(result ?? "");
        if (result.Length is 0 or > 200) return new MeetingActionResult(MeetingActionOutcome.Invalid, text["Seed.Required"]);
        await FreezeIfDueAsync(meetingId, ct);
        await db.Entry(meeting).ReloadAsync(ct);
        if (meeting.FrozenAt is null) return new MeetingActionResult(MeetingActionOutcome.Conflict, text["Seed.BeforeFreeze"]);
        if (meeting.Seed is not null) return new MeetingActionResult(MeetingActionOutcome.Conflict, text["Seed.AlreadyEntered"]);
        var now = clock.GetUtcNow();
        // The result must come from the announced draw, held after the freeze (a list frozen before commitments
        // existed takes a result only after its late commitment).
        var notBefore = meeting.PublicDrawAt ?? meeting.CommittedAt;
        if (notBefore is { } at && now < at)
        {
            return new MeetingActionResult(MeetingActionOutcome.Conflict, string.Format(text["Result.TooEarly"].Value, ChinaTime.ToChina(at).ToString("yyyy-MM-dd HH:mm")));
        }
        if (CheckResult(meeting, result) is { } refusal) return refusal;
        var normalised = DrawCommitment.Normalise(result)!;
        var secret = Secrets.Unprotect(meeting.SecretProtected!);
        var seed = DrawCommitment.Seed(secret, normalised);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Set<Meeting>().Where(m => m.Id == meetingId && m.Seed == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Seed, seed).SetProperty(m => m.SeedEnteredAt, now).SetProperty(m => m.DrawnAt, now)
                .SetProperty(m => m.PublicResult, result).SetProperty(m => m.NormalisedResult, normalised).SetProperty(m => m.PublicResultEnteredAt, now)
                .SetProperty(m => m.Secret, secret), ct);
        if (claimed == 0) return new MeetingActionResult(MeetingActionOutcome.Conflict, text["Seed.AlreadyEntered"]);
        audit.Record("meeting.result", nameof(Meeting), meetingId.ToString(), null, new { PublicResult = result, NormalisedResult = normalised });
        audit.Record("meeting.reveal", nameof(Meeting), meetingId.ToString(), null, new { Secret = secret, meeting.Commitment });
        await DrawAsync(meeting, seed, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return MeetingActionResult.Done;
    }

    /// <summary>
    /// An admin corrects a mistyped result, with a reason the public reads beside both entries. Only while nobody has
    /// answered their seat: after that, people have acted on the draw and it stands.
    /// </summary>
    public async Task<MeetingActionResult> CorrectResultAsync(int meetingId, ClaimsPrincipal user, string? result, string? reason, CancellationToken ct = default)
    {
        var meeting = await db.Set<Meeting>().Include(m => m.Quotas).SingleOrDefaultAsync(m => m.Id == meetingId, ct);
        if (meeting is null) return MeetingActionResult.NotFound;
        if (!user.IsInRole(Roles.Admin)) return MeetingActionResult.Forbidden;
        if (meeting.Seed is null || meeting.Secret is null) return new MeetingActionResult(MeetingActionOutcome.Conflict, text["Result.NothingToCorrect"]);
        result = Comments.Clean(result ?? "");
        reason = Comments.Clean(reason ?? "");
        if (result.Length is 0 or > 200) return new MeetingActionResult(MeetingActionOutcome.Invalid, text["Seed.Required"]);
        if (reason.Length is < 5 or > 500) return new MeetingActionResult(MeetingActionOutcome.Invalid, text["Result.CorrectionReason"]);
        if (CheckResult(meeting, result) is { } refusal) return refusal;
        var normalised = DrawCommitment.Normalise(result)!;
        if (normalised == meeting.NormalisedResult) return new MeetingActionResult(MeetingActionOutcome.Invalid, text["Result.Unchanged"]);
        var answered = await db.Set<RepresentativeApplication>().AnyAsync(a => a.MeetingId == meetingId
            && (a.Standing == DrawStanding.Confirmed || a.Standing == DrawStanding.Declined || a.Standing == DrawStanding.Lapsed), ct)
            || await db.Set<SeatReplacement>().AnyAsync(r => r.MeetingId == meetingId, ct);
        if (answered) return new MeetingActionResult(MeetingActionOutcome.Conflict, text["Result.CorrectionTooLate"]);

        var now = clock.GetUtcNow();
        var before = new { meeting.PublicResult, meeting.NormalisedResult, meeting.Seed };
        meeting.FirstPublicResult ??= meeting.PublicResult;
        meeting.PublicResult = result;
        meeting.NormalisedResult = normalised;
        meeting.CorrectionReason = reason;
        meeting.CorrectedAt = now;
        meeting.Seed = DrawCommitment.Seed(meeting.Secret, normalised);
        meeting.DrawnAt = now;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        audit.Record("meeting.result-correct", nameof(Meeting), meetingId.ToString(), before,
            new { PublicResult = result, NormalisedResult = normalised, meeting.Seed, Reason = reason });
        await DrawAsync(meeting, meeting.Seed, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return MeetingActionResult.Done;
    }

    /// <summary>A result that can be read and is of the announced draw; null when it is.</summary>
    private MeetingActionResult? CheckResult(Meeting meeting, string result)
    {
        if (DrawCommitment.Normalise(result) is not { } normalised)
        {
            return new MeetingActionResult(MeetingActionOutcome.Invalid, text["Result.Unreadable"]);
        }
        if (DrawCommitment.Normalise(meeting.PublicDrawNumber + " 0") is { } announced && DrawCommitment.DrawNumberOf(announced) != DrawCommitment.DrawNumberOf(normalised))
        {
            return new MeetingActionResult(MeetingActionOutcome.Invalid,
                string.Format(text["Result.WrongDraw"].Value, DrawCommitment.DrawNumberOf(normalised), meeting.PublicDrawNumber));
        }
        if (meeting.SecretProtected is null) return new MeetingActionResult(MeetingActionOutcome.Conflict, text["Seed.BeforeFreeze"]);
        return null;
    }

    /// <summary>Ranks, seats and waitlists the eligible applications by <paramref name="seed"/>, and tells each applicant where they stand.</summary>
    private async Task DrawAsync(Meeting meeting, string seed, CancellationToken ct)
    {
        var eligible = await EligibleAsync(meeting.Id, ct);
        var outcome = RepresentativeDraw.Run(seed, eligible, meeting.Seats, Quotas(meeting));
        var confirmBy = await ConfirmByAsync(ct);
        var applications = await db.Set<RepresentativeApplication>().Include(a => a.User)
            .Where(a => a.MeetingId == meeting.Id && a.Status == ApplicationStatus.Eligible).ToDictionaryAsync(a => a.PublicId, ct);
        for (var i = 0; i < outcome.Ranking.Count; i++) applications[outcome.Ranking[i]].Rank = i + 1;
        using var culture = MailCulture.Default();
        foreach (var seat in outcome.Selected)
        {
            var a = applications[seat.PublicId];
            a.Standing = DrawStanding.Selected;
            a.SeatReservedFor = seat.ReservedFor;
            a.ConfirmBy = confirmBy;
            Notify(a, meeting, "Mail.Selected.Subject", "Mail.Selected.Body", confirmBy?.ToString("yyyy-MM-dd") ?? "");
        }
        foreach (var publicId in outcome.Waitlist)
        {
            var a = applications[publicId];
            a.Standing = DrawStanding.Waitlisted;
            a.SeatReservedFor = null;
            a.ConfirmBy = null;
            Notify(a, meeting, "Mail.Waitlisted.Subject", "Mail.Waitlisted.Body", a.Rank.ToString()!);
        }
        audit.Record("meeting.draw", nameof(Meeting), meeting.Id.ToString(), null, new { Seed = seed, meeting.ApplicationsHash, Selected = outcome.Selected.Select(s => s.PublicId) });
    }

    private static List<DrawQuota> Quotas(Meeting meeting) =>
        meeting.Quotas.OrderBy(q => q.Position).Select(q => new DrawQuota(q.Category, q.Seats)).ToList();

    private async Task<DateOnly?> ConfirmByAsync(CancellationToken ct)
    {
        try
        {
            return (await calendars.CurrentAsync(ct)).AddWorkingDays(ChinaTime.Today(clock), Math.Max(1, options.Value.ConfirmWorkingDays));
        }
        catch (CalendarMissingException)
        {
            // Without next year's calendar, a plain week is the fairest stand-in.
            return ChinaTime.Today(clock).AddDays(7);
        }
    }

    private void Notify(RepresentativeApplication application, Meeting meeting, string subjectKey, string bodyKey, string detail)
    {
        if (application.User?.Email is not { } email) return;
        outbox.Email(email, string.Format(text[subjectKey], meeting.Title),
            string.Format(text[bodyKey], application.RealName, meeting.Title, application.PublicId, detail, links.Absolute($"/meetings/{meeting.Id}")));
    }

    /// <summary>A selected applicant confirms their seat, or declines it (then it passes on at once).</summary>
    public async Task<MeetingActionResult> RespondAsync(int meetingId, Guid userId, bool confirm, CancellationToken ct = default)
    {
        await ExpireUnconfirmedAsync(meetingId, ct);
        var application = await db.Set<RepresentativeApplication>().Include(a => a.Meeting).Include(a => a.User)
            .SingleOrDefaultAsync(a => a.MeetingId == meetingId && a.UserId == userId, ct);
        if (application is null) return MeetingActionResult.NotFound;
        if (application.Standing != DrawStanding.Selected) return new MeetingActionResult(MeetingActionOutcome.Conflict, text["Respond.NotSelected"]);
        var now = clock.GetUtcNow();
        if (confirm)
        {
            application.Standing = DrawStanding.Confirmed;
            application.ConfirmedAt = now;
            audit.Record("seat.confirm", nameof(RepresentativeApplication), application.PublicId, null, new { application.Standing });
        }
        else
        {
            application.Standing = DrawStanding.Declined;
            audit.Record("seat.decline", nameof(RepresentativeApplication), application.PublicId, null, new { application.Standing });
            await PassSeatAsync(application, "declined", ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new MeetingActionResult(MeetingActionOutcome.Conflict, text["Respond.Concurrent"]);
        }
        return MeetingActionResult.Done;
    }

    /// <summary>Seats not confirmed by their date pass on (reason "not-confirmed"). Run on every look at a drawn meeting and hourly.</summary>
    public async Task ExpireUnconfirmedAsync(int meetingId, CancellationToken ct = default)
    {
        var today = ChinaTime.Today(clock);
        var lapsed = await db.Set<RepresentativeApplication>().Include(a => a.Meeting).Include(a => a.User)
            .Where(a => a.MeetingId == meetingId && a.Standing == DrawStanding.Selected && a.ConfirmBy < today)
            .OrderBy(a => a.Rank).ToListAsync(ct);
        foreach (var application in lapsed)
        {
            application.Standing = DrawStanding.Lapsed;
            audit.Record("seat.lapse", nameof(RepresentativeApplication), application.PublicId, null, new { application.ConfirmBy });
            await PassSeatAsync(application, "not-confirmed", ct);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Someone else passed it on first.
                db.ChangeTracker.Clear();
                return;
            }
        }
    }

    private async Task PassSeatAsync(RepresentativeApplication vacated, string reason, CancellationToken ct)
    {
        var waitlist = await db.Set<RepresentativeApplication>().Include(a => a.User)
            .Where(a => a.MeetingId == vacated.MeetingId && a.Standing == DrawStanding.Waitlisted).OrderBy(a => a.Rank).ToListAsync(ct);
        var successor = RepresentativeDraw.Successor(new DrawSeat(vacated.PublicId, vacated.SeatReservedFor),
            waitlist.Select(a => new DrawApplicant(a.PublicId, a.Category)).ToList());
        var now = clock.GetUtcNow();
        db.Add(new SeatReplacement { MeetingId = vacated.MeetingId, FromPublicId = vacated.PublicId, ToPublicId = successor?.PublicId, Reason = reason, At = now });
        using var culture = MailCulture.Default();
        Notify(vacated, vacated.Meeting!, "Mail.SeatPassed.Subject", "Mail.SeatPassed.Body", text["Reason." + reason]);
        if (successor is null) return;
        var next = waitlist.Single(a => a.PublicId == successor.PublicId);
        next.Standing = DrawStanding.Selected;
        next.SeatReservedFor = vacated.SeatReservedFor is { } category && next.Category == category ? category : null;
        next.ConfirmBy = await ConfirmByAsync(ct);
        Notify(next, vacated.Meeting!, "Mail.Selected.Subject", "Mail.Selected.Body", next.ConfirmBy?.ToString("yyyy-MM-dd") ?? "");
    }

    /// <summary>The published draw: the frozen list, and the ranking and seats recomputed from the seed by the same rule anyone can run.</summary>
    public async Task<DrawView?> DrawAsync(int meetingId, CancellationToken ct = default)
    {
        await FreezeIfDueAsync(meetingId, ct);
        await ExpireUnconfirmedAsync(meetingId, ct);
        var meeting = await db.Set<Meeting>().AsNoTracking().Include(m => m.Quotas).SingleOrDefaultAsync(m => m.Id == meetingId, ct);
        if (meeting is null) return null;
        var quotas = Quotas(meeting);
        var quotaViews = quotas.Select(q => new QuotaView(RepresentativeDraw.Code(q.Category), q.Seats)).ToList();
        var source = new PublicSourceView(meeting.PublicSource, meeting.PublicDrawNumber, meeting.PublicDrawAt);
        if (meeting.FrozenAt is null)
        {
            return new DrawView(meeting.SeedSource, null, null, null, meeting.Seats, quotaViews, [], [], [], [], [], [], PublicSource: source);
        }
        var eligible = await EligibleAsync(meetingId, ct);
        var applications = eligible.Select(a => new ApplicantView(a.PublicId, RepresentativeDraw.Code(a.Category))).ToList();
        if (meeting.Seed is null)
        {
            return new DrawView(meeting.SeedSource, null, meeting.ApplicationsHash, meeting.FrozenAt, meeting.Seats, quotaViews, applications, [], [], [], [], [],
                meeting.Commitment, PublicSource: source);
        }
        var outcome = RepresentativeDraw.Run(meeting.Seed, eligible, meeting.Seats, quotas);
        var replacements = await db.Set<SeatReplacement>().AsNoTracking().Where(r => r.MeetingId == meetingId).OrderBy(r => r.Id)
            .Select(r => new ReplacementView(r.FromPublicId, r.ToPublicId, r.Reason, r.At)).ToListAsync(ct);
        var holding = await db.Set<RepresentativeApplication>().AsNoTracking()
            .Where(a => a.MeetingId == meetingId && (a.Standing == DrawStanding.Selected || a.Standing == DrawStanding.Confirmed))
            .OrderBy(a => a.Rank).Select(a => a.PublicId).ToListAsync(ct);
        var correction = meeting.CorrectedAt is { } corrected
            ? new CorrectionView(meeting.FirstPublicResult!, DrawCommitment.Normalise(meeting.FirstPublicResult), meeting.CorrectionReason!, corrected) : null;
        return new DrawView(meeting.SeedSource, meeting.Seed, meeting.ApplicationsHash, meeting.FrozenAt, meeting.Seats, quotaViews, applications,
            outcome.Ranking, outcome.Selected.Select(s => s.PublicId).ToList(), outcome.Waitlist, replacements, holding,
            meeting.Commitment, meeting.Secret, source, meeting.PublicResult, meeting.NormalisedResult, meeting.PublicResultEnteredAt, correction);
    }

    public async Task<(MeetingActionResult Result, int? Id, string? Field)> CreateAsync(ClaimsPrincipal user, MeetingForm form, CancellationToken ct = default)
    {
        static (MeetingActionResult, int?, string?) Invalid(string field, string error) => (new MeetingActionResult(MeetingActionOutcome.Invalid, error), null, field);
        var unitId = form.Kind == MeetingKind.Executive ? null : form.UnitId;
        if (form.Kind == MeetingKind.UnitHead && (unitId is null || !await db.Units.AnyAsync(u => u.Id == unitId, ct))) return Invalid(nameof(form.UnitId), text["Meeting.Unit"]);
        if (!await CanManageAsync(user, unitId, ct)) return (MeetingActionResult.Forbidden, null, null);
        var title = Comments.Clean(form.Title ?? "");
        if (title.Length is 0 or > 200) return Invalid(nameof(form.Title), text["Meeting.Title"]);
        var place = Comments.Clean(form.Place ?? "");
        if (place.Length is 0 or > 200) return Invalid(nameof(form.Place), text["Meeting.Place"]);
        var lottery = Comments.Clean(form.PublicSource ?? "");
        if (lottery.Length is 0 or > 100) return Invalid(nameof(form.PublicSource), text["Meeting.PublicSource"]);
        var drawNumber = Comments.Clean(form.PublicDrawNumber ?? "");
        if (drawNumber.Length is 0 or > 40 || DrawCommitment.Normalise(drawNumber + " 0") is null) return Invalid(nameof(form.PublicDrawNumber), text["Meeting.PublicDrawNumber"]);
        if (!ChinaTime.IsPlausible(form.PublicDrawAt)) return Invalid(nameof(form.PublicDrawAt), text["Consultation.OutOfRange"]);
        var drawAt = ChinaTime.FromChina(form.PublicDrawAt!.Value).ToUniversalTime();
        foreach (var (field, value) in new[] { (nameof(form.HeldAt), form.HeldAt), (nameof(form.ApplicationsOpenAt), form.ApplicationsOpenAt), (nameof(form.ApplicationsCloseAt), form.ApplicationsCloseAt) })
        {
            if (!ChinaTime.IsPlausible(value)) return Invalid(field, text["Consultation.OutOfRange"]);
        }
        var heldAt = ChinaTime.FromChina(form.HeldAt!.Value).ToUniversalTime();
        var opens = ChinaTime.FromChina(form.ApplicationsOpenAt!.Value).ToUniversalTime();
        var closes = ChinaTime.FromChina(form.ApplicationsCloseAt!.Value).ToUniversalTime();
        if (closes <= opens) return Invalid(nameof(form.ApplicationsCloseAt), text["Consultation.EndBeforeStart"]);
        if (heldAt <= closes) return Invalid(nameof(form.HeldAt), text["Meeting.AfterWindow"]);
        // The public result must not exist yet when the list is frozen, or someone could shape the list around it.
        if (drawAt <= closes) return Invalid(nameof(form.PublicDrawAt), text["Meeting.DrawAfterClose"]);
        var seedSource = Comments.Clean(form.SeedSource ?? "");
        if (seedSource.Length > 500) return Invalid(nameof(form.SeedSource), text["Meeting.SeedSource"]);
        if (seedSource.Length == 0)
        {
            seedSource = string.Format(text["Meeting.SeedSourceWords"].Value, lottery, drawNumber, ChinaTime.ToChina(drawAt).ToString("yyyy-MM-dd HH:mm"));
        }
        if (form.Seats is < 1 or > 100) return Invalid(nameof(form.Seats), text["Meeting.Seats"]);
        if (form.ResidentSeats < 0 || form.SmallBusinessSeats < 0 || form.ResidentSeats + form.SmallBusinessSeats > form.Seats) return Invalid(nameof(form.ResidentSeats), text["Meeting.Quotas"]);
        string? live = string.IsNullOrWhiteSpace(form.LiveStreamUrl) ? null : form.LiveStreamUrl.Trim();
        if (live is not null && !Platform.Web.SiteLinks.IsWebAddress(live)) return Invalid(nameof(form.LiveStreamUrl), text["Issue.Link"]);
        var topics = form.TopicIds.Distinct().ToList();
        if (topics.Count > 0 && await db.Set<Decision>().CountAsync(d => topics.Contains(d.Id), ct) != topics.Count) return Invalid(nameof(form.TopicIds), text["Meeting.Topics"]);

        var meeting = new Meeting
        {
            Kind = form.Kind, UnitId = unitId, Title = title, HeldAt = heldAt, Place = place, Seats = form.Seats, ApplicationsOpenAt = opens,
            ApplicationsCloseAt = closes, LiveStreamUrl = live, SeedSource = seedSource, CreatedAt = clock.GetUtcNow(),
            PublicSource = lottery, PublicDrawNumber = drawNumber, PublicDrawAt = drawAt,
            Topics = topics.Select(t => new MeetingTopic { DecisionId = t }).ToList(),
        };
        // 2023 task 43: ordinary residents first, then small and micro business owners.
        if (form.ResidentSeats > 0) meeting.Quotas.Add(new MeetingQuota { Position = 1, Category = ApplicantCategory.Resident, Seats = form.ResidentSeats });
        if (form.SmallBusinessSeats > 0) meeting.Quotas.Add(new MeetingQuota { Position = 2, Category = ApplicantCategory.SmallBusiness, Seats = form.SmallBusinessSeats });
        db.Add(meeting);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        audit.Record("meeting.create", nameof(Meeting), meeting.Id.ToString(), null,
            new { meeting.Title, meeting.HeldAt, meeting.Seats, meeting.SeedSource, meeting.PublicSource, meeting.PublicDrawNumber, meeting.PublicDrawAt });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (MeetingActionResult.Done, meeting.Id, null);
    }

    /// <summary>What a representative said, and whether it was adopted; published on the meeting and the topic's decision page.</summary>
    public async Task<MeetingActionResult> RecordOpinionAsync(int meetingId, ClaimsPrincipal user, string? publicId, int? decisionId, string? opinion,
        string? outcomeCode, string? reason, CancellationToken ct = default)
    {
        var meeting = await db.Set<Meeting>().AsNoTracking().Include(m => m.Topics).SingleOrDefaultAsync(m => m.Id == meetingId, ct);
        if (meeting is null) return MeetingActionResult.NotFound;
        if (!await CanManageAsync(user, meeting.UnitId, ct)) return MeetingActionResult.Forbidden;
        var application = await db.Set<RepresentativeApplication>().SingleOrDefaultAsync(a => a.MeetingId == meetingId && a.PublicId == publicId
            && (a.Standing == DrawStanding.Confirmed || a.Standing == DrawStanding.Selected), ct);
        if (application is null) return new MeetingActionResult(MeetingActionOutcome.Invalid, text["Opinion.NotRepresentative"]);
        if (decisionId is { } d && meeting.Topics.All(t => t.DecisionId != d)) return new MeetingActionResult(MeetingActionOutcome.Invalid, text["Meeting.Topics"]);
        var body = Comments.Clean(opinion ?? "");
        if (body.Length is 0 or > 2000) return new MeetingActionResult(MeetingActionOutcome.Invalid, text["Opinion.Text"]);
        if (!Adoption.AdoptionRules.TryParseOutcome(outcomeCode, out var outcome)) return new MeetingActionResult(MeetingActionOutcome.Invalid, text["Outcome.Unknown"]);
        reason = Comments.Clean(reason ?? "");
        if (Adoption.AdoptionRules.NeedsReason(outcome) && reason.Length == 0) return new MeetingActionResult(MeetingActionOutcome.Invalid, text["Reason.Required"]);
        application.Attended = true;
        db.Add(new RepresentativeOpinion
        {
            MeetingId = meetingId, ApplicationId = application.Id, DecisionId = decisionId, Text = Platform.Privacy.PersonalDataMasker.Mask(body).Masked,
            Outcome = outcome, Reason = reason.Length == 0 ? null : reason, RecordedAt = clock.GetUtcNow(),
        });
        audit.Record("meeting.opinion", nameof(Meeting), meetingId.ToString(), null, new { publicId, decisionId, Outcome = outcome });
        if (await db.Users.Where(u => u.Id == application.UserId).Select(u => u.Email).SingleOrDefaultAsync(ct) is { } email)
        {
            using var culture = MailCulture.Default();
            outbox.Email(email, string.Format(text["Mail.OpinionPublished.Subject"], meeting.Title),
                string.Format(text["Mail.OpinionPublished.Body"], application.RealName, meeting.Title, text["Outcome." + Adoption.AdoptionRules.Code(outcome)], links.Absolute($"/meetings/{meetingId}#opinions")));
        }
        await db.SaveChangesAsync(ct);
        return MeetingActionResult.Done;
    }

    public async Task<IReadOnlyList<OpinionView>> OpinionsAsync(int? meetingId, int? decisionId, CancellationToken ct = default)
    {
        var rows = await (from o in db.Set<RepresentativeOpinion>().AsNoTracking()
                          join a in db.Set<RepresentativeApplication>() on o.ApplicationId equals a.Id
                          where (meetingId == null || o.MeetingId == meetingId) && (decisionId == null || o.DecisionId == decisionId)
                          orderby o.Id
                          select new { a.PublicId, a.Category, o.DecisionId, DecisionTitle = db.Set<Decision>().Where(d => d.Id == o.DecisionId).Select(d => d.Title).FirstOrDefault(),
                              o.Text, o.Outcome, o.Reason, o.MeetingId }).ToListAsync(ct);
        return rows.Select(r => new OpinionView(r.PublicId, RepresentativeDraw.Code(r.Category), r.DecisionId, r.DecisionTitle, r.Text,
            Adoption.AdoptionRules.Code(r.Outcome), r.Reason)).ToList();
    }

    public async Task<IReadOnlyList<MeetingSummary>> ListAsync(CancellationToken ct = default)
    {
        var meetings = await db.Set<Meeting>().AsNoTracking().Include(m => m.Unit).Include(m => m.Topics).ThenInclude(t => t.Decision)
            .OrderByDescending(m => m.HeldAt).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return meetings.Select(m => Summary(m, now)).ToList();
    }

    public async Task<MeetingSummary?> SummaryAsync(int id, CancellationToken ct = default)
    {
        var meeting = await db.Set<Meeting>().AsNoTracking().Include(m => m.Unit).Include(m => m.Topics).ThenInclude(t => t.Decision)
            .SingleOrDefaultAsync(m => m.Id == id, ct);
        return meeting is null ? null : Summary(meeting, clock.GetUtcNow());
    }

    private static MeetingSummary Summary(Meeting m, DateTimeOffset now) => new(m.Id, m.Kind == MeetingKind.Executive ? "executive" : "unit-head", m.Title,
        m.Unit?.Name, m.Unit?.NameEn, m.HeldAt, m.Place, m.Seats, m.ApplicationsOpenAt, m.ApplicationsCloseAt, m.IsTakingApplications(now), m.Seed is not null,
        m.LiveStreamUrl, m.Topics.Select(t => new TopicView(t.DecisionId, t.Decision?.Title ?? "")).ToList(), m.UnitId);

    public async Task<MyApplication?> MineAsync(int meetingId, Guid userId, CancellationToken ct = default) =>
        await db.Set<RepresentativeApplication>().AsNoTracking().Where(a => a.MeetingId == meetingId && a.UserId == userId)
            .Select(a => new MyApplication(a.Id, a.PublicId, a.Status, a.IneligibleReason, a.Standing, a.ConfirmBy)).SingleOrDefaultAsync(ct);

    /// <summary>Names, phones and statements of meetings held long enough ago are erased; public ids, categories and the draw stay.</summary>
    public async Task<int> ErasePersonalDataAsync(CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow().AddDays(-Math.Max(1, options.Value.EraseAfterDays));
        var now = clock.GetUtcNow();
        return await db.Set<RepresentativeApplication>().Where(a => a.ErasedAt == null && a.Meeting!.HeldAt < cutoff)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.RealName, (string?)null).SetProperty(a => a.Phone, (string?)null)
                .SetProperty(a => a.Statement, (string?)null).SetProperty(a => a.ErasedAt, now), ct);
    }

    public Task<int?> UnitOfAsync(int meetingId, CancellationToken ct = default) =>
        db.Set<Meeting>().Where(m => m.Id == meetingId).Select(m => m.UnitId).SingleOrDefaultAsync(ct);

    /// <summary>Applications as their managers see them (names and phones until erased), best-ranked first after the draw.</summary>
    public async Task<IReadOnlyList<RepresentativeApplication>> ApplicationsAsync(int meetingId, CancellationToken ct = default) =>
        await db.Set<RepresentativeApplication>().AsNoTracking().Where(a => a.MeetingId == meetingId)
            .OrderBy(a => a.Rank == null).ThenBy(a => a.Rank).ThenBy(a => a.CreatedAt).ToListAsync(ct);

    /// <summary>Meetings that had a decision on their agenda, for the decision's page.</summary>
    public async Task<IReadOnlyList<MeetingSummary>> ForDecisionAsync(int decisionId, CancellationToken ct = default)
    {
        var ids = await db.Set<MeetingTopic>().Where(t => t.DecisionId == decisionId).Select(t => t.MeetingId).ToListAsync(ct);
        if (ids.Count == 0) return [];
        var meetings = await db.Set<Meeting>().AsNoTracking().Include(m => m.Unit).Include(m => m.Topics).ThenInclude(t => t.Decision)
            .Where(m => ids.Contains(m.Id)).OrderBy(m => m.HeldAt).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return meetings.Select(m => Summary(m, now)).ToList();
    }

    /// <summary>On the last day to confirm, a reminder to each selected person who has not confirmed yet (once).</summary>
    public async Task<int> SendConfirmationRemindersAsync(CancellationToken ct = default)
    {
        var today = ChinaTime.Today(clock);
        var due = await db.Set<RepresentativeApplication>().Include(a => a.Meeting).Include(a => a.User)
            .Where(a => a.Standing == DrawStanding.Selected && a.ConfirmBy == today && a.ReminderSentAt == null).ToListAsync(ct);
        using var culture = MailCulture.Default();
        foreach (var application in due)
        {
            application.ReminderSentAt = clock.GetUtcNow();
            Notify(application, application.Meeting!, "Mail.ConfirmReminder.Subject", "Mail.ConfirmReminder.Body", today.ToString("yyyy-MM-dd"));
        }
        await db.SaveChangesAsync(ct);
        return due.Count;
    }

    /// <summary>Staff record who of the representatives actually attended.</summary>
    public async Task<MeetingActionResult> SetAttendanceAsync(int meetingId, ClaimsPrincipal user, string? publicId, bool attended, CancellationToken ct = default)
    {
        var meeting = await db.Set<Meeting>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == meetingId, ct);
        if (meeting is null) return MeetingActionResult.NotFound;
        if (!await CanManageAsync(user, meeting.UnitId, ct)) return MeetingActionResult.Forbidden;
        var application = await db.Set<RepresentativeApplication>().SingleOrDefaultAsync(a => a.MeetingId == meetingId && a.PublicId == publicId
            && (a.Standing == DrawStanding.Confirmed || a.Standing == DrawStanding.Selected), ct);
        if (application is null) return new MeetingActionResult(MeetingActionOutcome.Invalid, text["Opinion.NotRepresentative"]);
        var before = new { application.Attended };
        application.Attended = attended;
        audit.Record("meeting.attendance", nameof(RepresentativeApplication), application.PublicId, before, new { application.Attended });
        await db.SaveChangesAsync(ct);
        return MeetingActionResult.Done;
    }
}
