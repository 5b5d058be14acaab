using Engagement.Web.Features.Home;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Meetings;

/// <summary>For the home page: meetings taking applications from public representatives now, until when.</summary>
public sealed class MeetingsOpenNow(EngagementDbContext db, TimeProvider clock) : IOpenNowSource
{
    public async Task<IReadOnlyList<OpenNowItem>> OpenNowAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var open = await db.Set<Meeting>().AsNoTracking()
            .Where(m => m.ApplicationsOpenAt <= now && now < m.ApplicationsCloseAt)
            .Select(m => new { m.Id, m.Title, m.ApplicationsCloseAt }).ToListAsync(cancellationToken);
        return open.Select(m => new OpenNowItem(OpenNowKind.Meeting, m.Title, $"/meetings/{m.Id}", m.ApplicationsCloseAt)).ToList();
    }
}
