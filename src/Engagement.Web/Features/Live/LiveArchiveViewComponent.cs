using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Engagement.Web.Platform.Data;

namespace Engagement.Web.Features.Live;

public sealed record LiveArchiveView(string NewSessionUrl, IReadOnlyList<LiveSession> Running, IReadOnlyList<(LiveSession Session, IReadOnlyList<LiveQuestion> Answered)> Ended,
    IReadOnlySet<int>? Hosted = null);

/// <summary>
/// On an event's or a meeting's page: the live Q&amp;A running now (with its join link) and, for each session that
/// ended, its answered questions and answers.
/// </summary>
public sealed class LiveArchiveViewComponent(EngagementDbContext db, LiveService live) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(int? eventId, int? meetingId)
    {
        var sessions = await db.Set<LiveSession>().AsNoTracking()
            .Where(s => (eventId != null && s.EventId == eventId) || (meetingId != null && s.MeetingId == meetingId))
            .OrderBy(s => s.CreatedAt).ToListAsync();
        var endedIds = sessions.Where(s => s.Status == LiveSessionStatus.Ended).Select(s => s.Id).ToList();
        var answered = await db.Set<LiveQuestion>().AsNoTracking()
            .Where(q => endedIds.Contains(q.SessionId) && q.Status == LiveQuestionStatus.Answered)
            .OrderByDescending(q => q.Votes).ThenBy(q => q.Id).ToListAsync();
        // The running sessions this person hosts get a link to their console, so nobody needs to know its address.
        var hosted = new HashSet<int>();
        foreach (var s in sessions.Where(s => s.Status == LiveSessionStatus.Open))
        {
            if (await live.IsHostAsync(s.Id, UserClaimsPrincipal)) hosted.Add(s.Id);
        }
        return View(new LiveArchiveView(eventId is { } e ? $"/live/new?eventId={e}" : $"/live/new?meetingId={meetingId}",
            sessions.Where(s => s.Status == LiveSessionStatus.Open).ToList(),
            sessions.Where(s => s.Status == LiveSessionStatus.Ended)
                .Select(s => (s, (IReadOnlyList<LiveQuestion>)answered.Where(q => q.SessionId == s.Id).ToList())).ToList(), hosted));
    }
}
