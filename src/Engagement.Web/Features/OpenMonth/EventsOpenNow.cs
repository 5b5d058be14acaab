using Engagement.Web.Features.Home;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.OpenMonth;

/// <summary>
/// For the home page: events open for registration now (until when), and those whose registration opens within the
/// next <see cref="SoonDays"/> days (from when), so a resident can plan to come back.
/// </summary>
public sealed class EventsOpenNow(EngagementDbContext db, TimeProvider clock) : IOpenNowSource
{
    public const int SoonDays = 14;

    public async Task<IReadOnlyList<OpenNowItem>> OpenNowAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var soon = now.AddDays(SoonDays);
        var events = await db.Set<OpenEvent>().AsNoTracking()
            .Where(e => e.RegistrationOpensAt <= soon && now < e.RegistrationClosesAt)
            .Select(e => new { e.Id, e.Title, e.RegistrationOpensAt, e.RegistrationClosesAt }).ToListAsync(cancellationToken);
        return events.Select(e => e.RegistrationOpensAt <= now
                ? new OpenNowItem(OpenNowKind.Event, e.Title, $"/events/{e.Id}", e.RegistrationClosesAt)
                : new OpenNowItem(OpenNowKind.Event, e.Title, $"/events/{e.Id}", null, Opens: e.RegistrationOpensAt))
            .ToList();
    }
}
