using System.Security.Cryptography;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Features.OpenMonth;

/// <summary>Settings under <c>OpenMonth:</c>.</summary>
public sealed class OpenMonthOptions
{
    /// <summary>How many companions a resident may bring on one registration.</summary>
    public int MaxCompanions { get; set; } = 1;
}

public enum RegisterOutcome { Confirmed, Waitlisted, NotFound, Closed, Invalid, Duplicate }

public sealed record RegisterResult(RegisterOutcome Outcome, EventRegistration? Registration = null, int? Position = null, string? Error = null);

public sealed record EventResponse(int Id, string Title, string Unit, string Venue, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool OpenMonth,
    int Capacity, int Confirmed, int Waitlisted, DateTimeOffset RegistrationOpensAt, DateTimeOffset RegistrationClosesAt, string Theme);

/// <summary>
/// Sign-up for open-day events (2022 §四(三), 2023 §二十一): never more confirmed places than capacity, whatever the
/// number of simultaneous requests (a conditional update on the event's counter decides), the rest waitlisted in
/// arrival order and moved up when someone cancels.
/// </summary>
public sealed class RegistrationService(EngagementDbContext db, TimeProvider clock, Platform.Outbox.Outbox outbox, AuditWriter audit,
    IOptions<OpenMonthOptions> options, IStringLocalizer<SharedResource> text, Platform.Web.SiteLinks links, Platform.Telemetry.EngagementMetrics metrics)
{
    private const string CodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    public async Task<RegisterResult> RegisterAsync(int eventId, Guid userId, int companions, CancellationToken ct = default)
    {
        var ev = await db.Set<OpenEvent>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, ct);
        if (ev is null) return new RegisterResult(RegisterOutcome.NotFound);
        var now = clock.GetUtcNow();
        if (now < ev.RegistrationOpensAt || now >= ev.RegistrationClosesAt)
        {
            return new RegisterResult(RegisterOutcome.Closed, Error: string.Format(text["Register.Closed"],
                ChinaTime.ToChina(ev.RegistrationOpensAt).ToString("yyyy-MM-dd HH:mm"), ChinaTime.ToChina(ev.RegistrationClosesAt).ToString("yyyy-MM-dd HH:mm")));
        }
        if (companions < 0 || companions > options.Value.MaxCompanions)
        {
            return new RegisterResult(RegisterOutcome.Invalid, Error: string.Format(text["Register.Companions"], options.Value.MaxCompanions));
        }
        var existing = await db.Set<EventRegistration>().SingleOrDefaultAsync(r => r.EventId == eventId && r.UserId == userId, ct);
        if (existing is { Status: not RegistrationStatus.Cancelled })
        {
            return new RegisterResult(RegisterOutcome.Duplicate, existing, Error: text["Register.Duplicate"]);
        }

        var places = 1 + companions;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The database decides: the counter moves only while the places fit and nobody is already waiting.
        var confirmed = await db.Set<OpenEvent>()
            .Where(e => e.Id == eventId && e.Confirmed + places <= e.Capacity
                && !db.Set<EventRegistration>().Any(r => r.EventId == eventId && r.Status == RegistrationStatus.Waitlisted))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Confirmed, e => e.Confirmed + places), ct) == 1;
        var registration = existing ?? new EventRegistration { EventId = eventId, UserId = userId, CheckInCode = NewCode() };
        registration.Companions = companions;
        registration.Status = confirmed ? RegistrationStatus.Confirmed : RegistrationStatus.Waitlisted;
        registration.CreatedAt = now;
        registration.CancelledAt = null;
        if (existing is null) db.Add(registration);
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same person at the same moment: the unique index let one in; the counter rolls back with this one.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return new RegisterResult(RegisterOutcome.Duplicate, Error: text["Register.Duplicate"]);
        }
        metrics.Registered(confirmed);
        return confirmed
            ? new RegisterResult(RegisterOutcome.Confirmed, registration)
            : new RegisterResult(RegisterOutcome.Waitlisted, registration, await PositionAsync(registration, ct));
    }

    /// <summary>1 for the first in line.</summary>
    public async Task<int> PositionAsync(EventRegistration registration, CancellationToken ct = default) =>
        1 + await db.Set<EventRegistration>().CountAsync(r => r.EventId == registration.EventId && r.Status == RegistrationStatus.Waitlisted
            && (r.CreatedAt < registration.CreatedAt || (r.CreatedAt == registration.CreatedAt && r.Id < registration.Id)), ct);

    /// <summary>Cancels the person's registration; a confirmed place goes to those waiting, in arrival order, with a notice.</summary>
    public async Task<bool> CancelAsync(int eventId, Guid userId, CancellationToken ct = default)
    {
        var registration = await db.Set<EventRegistration>()
            .SingleOrDefaultAsync(r => r.EventId == eventId && r.UserId == userId && r.Status != RegistrationStatus.Cancelled, ct);
        if (registration is null) return false;
        var wasConfirmed = registration.Status == RegistrationStatus.Confirmed;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        registration.Status = RegistrationStatus.Cancelled;
        registration.CancelledAt = clock.GetUtcNow();
        audit.Record("registration.cancel", nameof(EventRegistration), registration.Id.ToString(), null, new { wasConfirmed });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }
        var promoted = 0;
        if (wasConfirmed)
        {
            var places = registration.Places;
            await db.Set<OpenEvent>().Where(e => e.Id == eventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.Confirmed, e => e.Confirmed - places), ct);
            promoted = await MoveUpAsync(eventId, ct);
        }
        await transaction.CommitAsync(ct);
        if (promoted > 0) metrics.WaitlistPromoted(promoted);
        return true;
    }

    /// <summary>Those waiting move up in arrival order while the first in line fits; returns how many moved up.</summary>
    private async Task<int> MoveUpAsync(int eventId, CancellationToken ct)
    {
        var title = await db.Set<OpenEvent>().Where(e => e.Id == eventId).Select(e => e.Title).SingleAsync(ct);
        using var culture = MailCulture.Default();
        var moved = 0;
        while (true)
        {
            var head = await db.Set<EventRegistration>().Include(r => r.User)
                .Where(r => r.EventId == eventId && r.Status == RegistrationStatus.Waitlisted).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).FirstOrDefaultAsync(ct);
            if (head is null) return moved;
            var places = head.Places;
            var fits = await db.Set<OpenEvent>().Where(e => e.Id == eventId && e.Confirmed + places <= e.Capacity)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Confirmed, e => e.Confirmed + places), ct) == 1;
            if (!fits) return moved;
            head.Status = RegistrationStatus.Confirmed;
            if (head.User?.Email is { } email)
            {
                outbox.Email(email, string.Format(text["Mail.MovedUp.Subject"], title),
                    string.Format(text["Mail.MovedUp.Body"], head.User.DisplayName, title, head.CheckInCode, links.Absolute($"/events/{eventId}")));
            }
            await db.SaveChangesAsync(ct);
            moved++;
        }
    }

    public async Task<IReadOnlyList<EventResponse>> ListAsync(DateTimeOffset? from, DateTimeOffset? to, bool? openMonth, CancellationToken ct = default,
        ThemeArea? theme = null, int? unitId = null)
    {
        var query = db.Set<OpenEvent>().AsNoTracking();
        if (theme is { } th) query = query.Where(e => e.Theme == th);
        if (unitId is { } u) query = query.Where(e => e.UnitId == u);
        if (from is { } f) query = query.Where(e => e.EndsAt >= f);
        if (to is { } t) query = query.Where(e => e.StartsAt <= t);
        if (openMonth is { } o) query = query.Where(e => e.OpenMonth == o);
        return await query.OrderBy(e => e.StartsAt).ThenBy(e => e.Id).Select(e => new EventResponse(e.Id, e.Title, e.Unit!.Name, e.Venue!.Name, e.StartsAt, e.EndsAt,
                e.OpenMonth, e.Capacity, e.Confirmed,
                db.Set<EventRegistration>().Where(r => r.EventId == e.Id && r.Status == RegistrationStatus.Waitlisted).Sum(r => 1 + r.Companions),
                e.RegistrationOpensAt, e.RegistrationClosesAt, e.Theme.ToString()))
            .ToListAsync(ct);
    }

    public async Task<EventResponse?> GetAsync(int id, CancellationToken ct = default) =>
        (await db.Set<OpenEvent>().AsNoTracking().Where(e => e.Id == id).Select(e => new EventResponse(e.Id, e.Title, e.Unit!.Name, e.Venue!.Name, e.StartsAt, e.EndsAt,
                e.OpenMonth, e.Capacity, e.Confirmed,
                db.Set<EventRegistration>().Where(r => r.EventId == e.Id && r.Status == RegistrationStatus.Waitlisted).Sum(r => 1 + r.Companions),
                e.RegistrationOpensAt, e.RegistrationClosesAt, e.Theme.ToString()))
            .ToListAsync(ct)).SingleOrDefault();

    private static string NewCode() => new(Enumerable.Range(0, 10).Select(_ => CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)]).ToArray());

    public enum CheckInOutcome { Done, Already, Unknown }

    /// <summary>Checks a registration in at the door by its code, once (a conditional update decides).</summary>
    public async Task<(CheckInOutcome Outcome, string? Name, int Places, DateTimeOffset? At)> CheckInAsync(int eventId, string? code, CancellationToken ct = default)
    {
        code = (code ?? "").Trim().ToUpperInvariant();
        var now = clock.GetUtcNow();
        var done = await db.Set<EventRegistration>()
            .Where(r => r.EventId == eventId && r.CheckInCode == code && r.Status == RegistrationStatus.Confirmed && r.CheckedInAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CheckedInAt, now), ct);
        var registration = await db.Set<EventRegistration>().AsNoTracking().Include(r => r.User)
            .SingleOrDefaultAsync(r => r.EventId == eventId && r.CheckInCode == code && r.Status == RegistrationStatus.Confirmed, ct);
        if (registration is null) return (CheckInOutcome.Unknown, null, 0, null);
        return (done == 1 ? CheckInOutcome.Done : CheckInOutcome.Already, registration.User?.DisplayName, registration.Places, registration.CheckedInAt);
    }

    /// <summary>Attendance figures: confirmed places and places checked in.</summary>
    public async Task<(int Confirmed, int CheckedIn)> AttendanceAsync(int eventId, CancellationToken ct = default)
    {
        var rows = await db.Set<EventRegistration>().Where(r => r.EventId == eventId && r.Status == RegistrationStatus.Confirmed)
            .Select(r => new { Places = 1 + r.Companions, In = r.CheckedInAt != null }).ToListAsync(ct);
        return (rows.Sum(r => r.Places), rows.Where(r => r.In).Sum(r => r.Places));
    }

    /// <summary>The day before an event, a reminder to each confirmed registration (once).</summary>
    public async Task<int> SendDayBeforeRemindersAsync(CancellationToken ct = default)
    {
        var tomorrow = ChinaTime.Today(clock).AddDays(1);
        var from = ChinaTime.FromChina(tomorrow.ToDateTime(TimeOnly.MinValue)).ToUniversalTime();
        var to = from.AddDays(1);
        var due = await db.Set<EventRegistration>().Include(r => r.User).Include(r => r.Event).ThenInclude(e => e!.Venue)
            .Where(r => r.Status == RegistrationStatus.Confirmed && r.ReminderSentAt == null && r.Event!.StartsAt >= from && r.Event.StartsAt < to).ToListAsync(ct);
        using var culture = MailCulture.Default();
        foreach (var registration in due)
        {
            registration.ReminderSentAt = clock.GetUtcNow();
            if (registration.User?.Email is not { } email) continue;
            var ev = registration.Event!;
            outbox.Email(email, string.Format(text["Mail.EventTomorrow.Subject"], ev.Title),
                string.Format(text["Mail.EventTomorrow.Body"], registration.User.DisplayName, ev.Title, ChinaTime.ToChina(ev.StartsAt).ToString("yyyy-MM-dd HH:mm"),
                    ev.Venue!.Name + " " + ev.Venue.Address, registration.CheckInCode, links.Absolute($"/events/{ev.Id}")));
        }
        await db.SaveChangesAsync(ct);
        return due.Count;
    }
}
