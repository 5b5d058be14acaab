using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.OpenMonth;

public sealed class EventForm
{
    [Required(ErrorMessage = "Validation.Required"), StringLength(200, ErrorMessage = "Validation.Length")]
    public string? Title { get; set; }
    public string? Description { get; set; }
    public int UnitId { get; set; }
    public int VenueId { get; set; }
    public ThemeArea Theme { get; set; }
    public List<EventSegments> Segments { get; set; } = [];
    public bool OpenMonth { get; set; }
    public DateTime? StartsAt { get; set; }
    public DateTime? EndsAt { get; set; }
    public int Capacity { get; set; } = 30;
    public DateTime? RegistrationOpensAt { get; set; }
    public DateTime? RegistrationClosesAt { get; set; }
    public string? LiveUrl { get; set; }
}

public sealed record EventAuthoringResult(int? Id, string? Field, string? Error);

/// <summary>Units schedule their events; the rules of the Open Month (2022 §四(三), 2023 §二十一) are checked here.</summary>
public sealed class EventAuthoring(EngagementDbContext db, TimeProvider clock, CalendarService calendars, AuditWriter audit, IStringLocalizer<SharedResource> text)
{
    /// <summary>The description's column (OpenEvent.Description), in characters as people see them.</summary>
    public const int MaxDescription = 4000;

    public async Task<EventAuthoringResult> CreateAsync(ClaimsPrincipal user, EventForm form, CancellationToken ct = default)
    {
        EventAuthoringResult Fail(string field, string key, params object[] args) => new(null, field, string.Format(text[key], args));
        if (!await CanScheduleAsync(user, form.UnitId, ct)) return Fail(nameof(form.UnitId), "Decision.NotYourUnit");
        var title = Consultation.Comments.Clean(form.Title ?? "");
        if (title.Length is 0 or > 200) return Fail(nameof(form.Title), "Meeting.Title");
        if (!await db.Set<Venue>().AnyAsync(v => v.Id == form.VenueId, ct)) return Fail(nameof(form.VenueId), "Event.Venue");
        var description = Consultation.Comments.Clean(form.Description ?? "");
        if (Platform.Text.TextLength.Of(description) > MaxDescription || Platform.Data.TextLimits.CodePoints(description) > MaxDescription)
        {
            return Fail(nameof(form.Description), "Event.DescriptionLength", MaxDescription, Platform.Text.TextLength.Of(description));
        }
        foreach (var (field, value) in new[] { (nameof(form.StartsAt), form.StartsAt), (nameof(form.EndsAt), form.EndsAt),
                     (nameof(form.RegistrationOpensAt), form.RegistrationOpensAt), (nameof(form.RegistrationClosesAt), form.RegistrationClosesAt) })
        {
            if (!ChinaTime.IsPlausible(value)) return Fail(field, "Consultation.OutOfRange");
        }
        if (form.Capacity <= 0) return Fail(nameof(form.Capacity), "Event.Capacity");
        if (form.EndsAt <= form.StartsAt) return Fail(nameof(form.EndsAt), "Event.EndBeforeStart");
        if (form.RegistrationClosesAt <= form.RegistrationOpensAt) return Fail(nameof(form.RegistrationClosesAt), "Consultation.EndBeforeStart");
        if (form.RegistrationClosesAt > form.StartsAt) return Fail(nameof(form.RegistrationClosesAt), "Event.RegistrationAfterStart");
        // The Open Month is August (2022 §四(三)).
        if (form.OpenMonth && (form.StartsAt!.Value.Month != 8 || form.EndsAt!.Value.Month != 8 || form.StartsAt.Value.Year != form.EndsAt.Value.Year))
        {
            return Fail(nameof(form.StartsAt), "Event.NotAugust");
        }
        var segments = form.Segments.Aggregate(EventSegments.None, (all, s) => all | s);
        if (segments == EventSegments.None) return Fail(nameof(form.Segments), "Event.Segments");
        var starts = ChinaTime.FromChina(form.StartsAt!.Value).ToUniversalTime();
        var ends = ChinaTime.FromChina(form.EndsAt!.Value).ToUniversalTime();
        var clash = await db.Set<OpenEvent>().Where(e => e.VenueId == form.VenueId && e.StartsAt < ends && e.EndsAt > starts)
            .Select(e => e.Title).FirstOrDefaultAsync(ct);
        if (clash is not null) return Fail(nameof(form.StartsAt), "Event.VenueTaken", clash);
        string? live = string.IsNullOrWhiteSpace(form.LiveUrl) ? null : form.LiveUrl.Trim();
        if (live is not null && !Platform.Web.SiteLinks.IsWebAddress(live)) return Fail(nameof(form.LiveUrl), "Issue.Link");

        var ev = new OpenEvent
        {
            Title = title, Description = description, UnitId = form.UnitId, VenueId = form.VenueId, Theme = form.Theme,
            Segments = segments, OpenMonth = form.OpenMonth, StartsAt = starts, EndsAt = ends, Capacity = form.Capacity, LiveUrl = live,
            RegistrationOpensAt = ChinaTime.FromChina(form.RegistrationOpensAt!.Value).ToUniversalTime(),
            RegistrationClosesAt = ChinaTime.FromChina(form.RegistrationClosesAt!.Value).ToUniversalTime(), CreatedAt = clock.GetUtcNow(),
        };
        db.Add(ev);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        audit.Record("event.create", nameof(OpenEvent), ev.Id.ToString(), null, new { ev.Title, ev.StartsAt, ev.VenueId, ev.Capacity, ev.OpenMonth });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new EventAuthoringResult(ev.Id, null, null);
    }

    /// <summary>Weekends and public holidays are allowed (residents often prefer them) and marked.</summary>
    public async Task<bool> IsRestDayAsync(DateTimeOffset startsAt, CancellationToken ct = default)
    {
        var date = ChinaTime.DateOf(startsAt);
        var calendar = await calendars.CurrentAsync(ct);
        return calendar.HasYear(date.Year) ? !calendar.IsWorkingDay(date) : date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
    }

    public Task<bool> CanScheduleAsync(ClaimsPrincipal user, int unitId, CancellationToken ct = default) =>
        UnitAccess.CanActForAsync(db, user, unitId, ct);
}
