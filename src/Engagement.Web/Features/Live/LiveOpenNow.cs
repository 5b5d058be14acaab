using Engagement.Web.Features.Home;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Live;

/// <summary>For the home page: live sessions running now, each with its join code.</summary>
public sealed class LiveOpenNow(EngagementDbContext db) : IOpenNowSource
{
    public async Task<IReadOnlyList<OpenNowItem>> OpenNowAsync(CancellationToken cancellationToken)
    {
        var running = await db.Set<LiveSession>().AsNoTracking().Where(s => s.Status == LiveSessionStatus.Open)
            .OrderByDescending(s => s.CreatedAt).Take(20).Select(s => new { s.JoinCode, s.Title }).ToListAsync(cancellationToken);
        return running.Select(s => new OpenNowItem(OpenNowKind.LiveSession, s.Title, $"/live/{s.JoinCode}", null, Code: s.JoinCode)).ToList();
    }
}
