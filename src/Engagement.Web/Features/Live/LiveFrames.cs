using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Features.Live;

/// <summary>
/// Version 2 of the hub's protocol: the changes of each session are gathered for <c>Live:FrameMilliseconds</c>
/// (default 100) and sent as one <c>Frame</c> per connection carrying them all in order of seq. However stormy a
/// session is, a version 2 connection is written at most once per interval by this instance: participants and
/// projectors are in the session's frame group, hosts only in its hosts' frame group, whose frames also carry what
/// only hosts see. The frame is serialised once per group and written to every member.
/// </summary>
public sealed class LiveFrames(IHubContext<LiveHub> hub, IOptions<LiveOptions> options, LiveAudience audience, Platform.Telemetry.EngagementMetrics metrics,
    ILogger<LiveFrames> logger) : BackgroundService
{
    private sealed class Pending
    {
        public List<FrameItem> Everyone = [];
        public List<FrameItem> HostsOnly = [];
        public long LastSent;
    }

    // One small entry per session this instance has sent to (a district runs a few dozen sessions a year).
    private readonly ConcurrentDictionary<int, Pending> _sessions = new();

    /// <summary>The interval between frames; at least 10 ms.</summary>
    public TimeSpan Interval => TimeSpan.FromMilliseconds(Math.Max(10, options.Value.FrameMilliseconds));

    /// <summary>
    /// A session's interval: <c>Live:FrameMilliseconds</c>, stretched for a large audience so that this instance writes
    /// at most <c>Live:FrameWritesPerSecond</c> frames a second to it (5,000 followers at 15,000 a second: one frame
    /// every 333 ms). Never shorter than the configured interval, so no connection is written more often than that.
    /// </summary>
    public TimeSpan IntervalFor(int sessionId)
    {
        var writes = Math.Max(1, options.Value.FrameWritesPerSecond);
        return TimeSpan.FromMilliseconds(Math.Max(Interval.TotalMilliseconds, 1000.0 * audience.Count(sessionId) / writes));
    }

    public void Add(int sessionId, IEnumerable<LiveChange> changes)
    {
        var pending = _sessions.GetOrAdd(sessionId, _ => new Pending());
        lock (pending)
        {
            foreach (var change in changes)
            {
                (change.HostsOnly ? pending.HostsOnly : pending.Everyone).Add(change.ToFrameItem());
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await FlushAsync(force: false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // What was gathered still goes out before the process ends.
        await FlushAsync();
    }

    /// <summary>Sends every session's gathered changes as one frame per group, each session when its interval is up (all of them when forced).</summary>
    public async Task FlushAsync(bool force = true)
    {
        List<Task>? sends = null;
        // Pacing is wall-clock time on this machine, not the site's business clock.
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var (sessionId, pending) in _sessions)
        {
            List<FrameItem> everyone, hostsOnly;
            // Half a tick of slack, so a timer firing a little early does not skip a whole interval.
            if (!force && System.Diagnostics.Stopwatch.GetElapsedTime(pending.LastSent, now) < IntervalFor(sessionId) - Interval / 2) continue;
            lock (pending)
            {
                if (pending.Everyone.Count == 0 && pending.HostsOnly.Count == 0) continue;
                pending.LastSent = now;
                (everyone, pending.Everyone) = (pending.Everyone, []);
                (hostsOnly, pending.HostsOnly) = (pending.HostsOnly, []);
            }
            sends ??= [];
            // Changes can be handed over slightly out of order (two actions finishing at once): a frame is in order of seq.
            everyone.Sort(BySeq);
            if (everyone.Count > 0) sends.Add(SendAsync(LiveEvents.Frames(sessionId), new Frame(sessionId, everyone)));
            var forHosts = everyone.Concat(hostsOnly).ToList();
            forHosts.Sort(BySeq);
            sends.Add(SendAsync(LiveEvents.HostFrames(sessionId), new Frame(sessionId, forHosts)));
        }
        if (sends is not null) await Task.WhenAll(sends);
    }

    private static readonly Comparison<FrameItem> BySeq = (a, b) => a.Seq.CompareTo(b.Seq);

    private async Task SendAsync(string group, Frame frame)
    {
        try
        {
            await hub.Clients.Group(group).SendAsync(LiveEvents.Frame, frame);
            metrics.HubMessagesOut();
        }
        catch (Exception error)
        {
            // A frame that cannot be sent (the backplane is away) is not retried: clients that miss it rejoin and
            // redraw from the snapshot, as after any lost connection.
            logger.LogWarning(error, "A live frame for {Group} could not be sent", group);
        }
    }
}
