using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Engagement.Web.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Features.Live;

/// <summary>
/// The live Q&amp;A hub at /hubs/live, a public protocol (docs/API.md). A connection first calls Join (a participant) or
/// Watch (a projector); the session and participant are then kept on the connection. Hosts (signed in, and a host
/// of the session) also moderate through it. Every refusal is a HubException whose message says why, in the
/// language the page was opened in.
/// </summary>
[AllowAnonymous]
public sealed class LiveHub(LiveService live, LiveNotifier notifier, LiveVoteFlusher votes, LiveRateLimits limits, LiveAudience audience, LiveWrites writes,
    Platform.Audit.AuditWriter audit, Accounts.SignedInConnections signedIn, IStringLocalizer<SharedResource> text) : Hub
{
    public const string Path = "/hubs/live";
    public const string ParticipantCookie = "eng-live";

    private const string SessionKey = "session", ParticipantKey = "participant", HostKey = "host", CultureKey = "culture", FramedKey = "framed";

    public override Task OnConnectedAsync()
    {
        var http = Context.GetHttpContext();
        var culture = http?.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture;
        if (culture is not null) Context.Items[CultureKey] = culture;
        // Version 2 (frames) is asked for on the hub URL: /hubs/live?version=2. Anything else is version 1.
        if (http?.Request.Query["version"].ToString() == "2") Context.Items[FramedKey] = true;
        // A signed-in connection is closed when its sign-in ends (password reset, deletion, "sign out everywhere" ...).
        signedIn.Opened(Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items[SessionKey] is int session) audience.Left(session);
        signedIn.Closed(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    public async Task<JoinResult> Join(string joinCode, string? nickname)
    {
        UseCulture();
        var session = await live.FindAsync(joinCode) ?? throw Refuse(LiveRefusal.NotFound);
        if (session.Status == LiveSessionStatus.Ended) throw Refuse(LiveRefusal.Ended);
        var userId = UserId;
        if (LiveService.JoinRefusal(session, userId, nickname) is { } refused) throw Refuse(refused);
        var (key, token, fresh) = ParticipantKeyFor(userId);
        var isHost = userId is not null && await live.IsHostAsync(session.Id, Context.User!);
        // In the groups before the participant is stored: the seq read with a new row (in the batch's transaction) or
        // after it then covers every change this connection will not receive in a frame or event.
        await EnterAsync(session.Id, isHost);
        var (participant, refusal, isNew, seq) = await live.JoinAsync(session, userId, key, nickname, freshKey: fresh);
        if (refusal is not null) throw Refuse(refusal.Value);
        Context.Items[ParticipantKey] = participant!.Id;
        return await live.SnapshotAsync(session, participant, isHost, newParticipant: isNew, knownSeq: seq) with { ParticipantToken = token };
    }

    /// <summary>Follows a session without taking part (the projector): same snapshot and events, no participant.</summary>
    public async Task<JoinResult> Watch(string joinCode)
    {
        UseCulture();
        var session = await live.FindAsync(joinCode) ?? throw Refuse(LiveRefusal.NotFound);
        await EnterAsync(session.Id, isHost: false);
        return await live.SnapshotAsync(session, null, false);
    }

    public Task<AskResult> Ask(string text) => AskCoreAsync(text, anonymous: false);

    /// <summary>Ask without your nickname being shown to other participants (hosts still see it).</summary>
    public Task<AskResult> AskAnonymously(string text) => AskCoreAsync(text, anonymous: true);

    private async Task<AskResult> AskCoreAsync(string text, bool anonymous)
    {
        UseCulture();
        var participant = Participant;
        if (!limits.TryAsk(participant)) throw Refuse(LiveRefusal.RateLimited);
        LiveOutcome outcome;
        using (await writes.EnterAsync()) outcome = await live.AskAsync(participant, text, anonymous);
        if (!outcome.Succeeded) throw Refuse(outcome.Refusal!.Value);
        await notifier.SendAsync(Session, outcome.Changes);
        return (AskResult)outcome.Value!;
    }

    public Task Vote(long questionId) => VoteCoreAsync(questionId, withdraw: false);

    public Task Unvote(long questionId) => VoteCoreAsync(questionId, withdraw: true);

    private async Task VoteCoreAsync(long questionId, bool withdraw)
    {
        UseCulture();
        var participant = Participant;
        if (!limits.TryVote(participant)) throw Refuse(LiveRefusal.RateLimited);
        LiveRefusal? refusal;
        int sessionId;
        using (await writes.EnterAsync()) (refusal, sessionId) = await live.VoteAsync(Session, participant, questionId, withdraw);
        if (refusal is not null) throw Refuse(refusal.Value);
        votes.Changed(sessionId, questionId);
    }

    public async Task<PollDto> AnswerPoll(int pollId, int[] optionIds)
    {
        UseCulture();
        LiveRefusal? refusal;
        int sessionId;
        PollDto? poll;
        using (await writes.EnterAsync()) (refusal, sessionId, poll) = await live.AnswerPollAsync(Participant, pollId, optionIds);
        if (refusal is not null) throw Refuse(refusal.Value);
        votes.PollChanged(sessionId, pollId);
        return poll!;
    }

    // --- Hosts -------------------------------------------------------------------------------------------------------

    public Task Approve(long questionId) => HostAsync(s => live.ApproveAsync(s, questionId));
    public Task Hide(long questionId) => HostAsync(s => live.HideAsync(s, questionId));
    public Task Pin(long questionId) => HostAsync(s => live.PinAsync(s, questionId));
    public Task Unpin() => HostAsync(s => live.PinAsync(s, null));

    /// <summary>Marks a question answered: with a written answer, or "answered live" when the answer is empty.</summary>
    public Task Answer(long questionId, string? answer) => HostAsync(s => live.AnswerAsync(s, questionId, answer));
    public Task Merge(long questionId, long intoQuestionId) => HostAsync(s => live.MergeAsync(s, questionId, intoQuestionId));
    public Task Block(long participantId) => HostAsync(s => live.BlockAsync(s, participantId));
    public Task OpenPoll(string question, bool multiple, string[] options) => HostAsync(s => live.OpenPollAsync(s, question, multiple, options));
    public Task ClosePoll(int pollId) => HostAsync(s => live.ClosePollAsync(s, pollId));
    public Task End() => HostAsync(s => live.EndAsync(s));

    private async Task HostAsync(Func<int, Task<LiveOutcome>> action)
    {
        UseCulture();
        if (Context.Items[HostKey] is not true || UserId is null) throw Refuse(LiveRefusal.NotHost);
        // A hub call has no request of its own: the audit rows name the connection's user and address.
        audit.ActAs(Context.User!, Context.GetHttpContext()?.Connection.RemoteIpAddress);
        LiveOutcome outcome;
        using (await writes.EnterAsync()) outcome = await action(Session);
        if (!outcome.Succeeded) throw Refuse(outcome.Refusal!.Value);
        await notifier.SendAsync(Session, outcome.Changes);
    }

    // --- Connection state --------------------------------------------------------------------------------------------

    private async Task EnterAsync(int sessionId, bool isHost)
    {
        var previous = Context.Items[SessionKey] as int?;
        var wasHost = Context.Items[HostKey] is true;
        if (previous is { } left && (left != sessionId || wasHost != isHost))
        {
            foreach (var group in GroupsFor(left, wasHost)) await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
            if (left != sessionId)
            {
                Context.Items.Remove(ParticipantKey);
                audience.Left(left);
            }
        }
        if (previous != sessionId) audience.Joined(sessionId);
        Context.Items[SessionKey] = sessionId;
        Context.Items[HostKey] = isHost;
        foreach (var group in GroupsFor(sessionId, isHost)) await Groups.AddToGroupAsync(Context.ConnectionId, group);
    }

    /// <summary>
    /// The groups a connection is in: version 1, the session's (and its hosts'); version 2, exactly one frame group, so
    /// that it is written once per frame.
    /// </summary>
    private IEnumerable<string> GroupsFor(int sessionId, bool isHost) => Context.Items[FramedKey] is true
        ? [isHost ? LiveEvents.HostFrames(sessionId) : LiveEvents.Frames(sessionId)]
        : isHost ? [LiveEvents.Everyone(sessionId), LiveEvents.Hosts(sessionId)] : [LiveEvents.Everyone(sessionId)];

    private int Session => Context.Items[SessionKey] as int? ?? throw Refuse(LiveRefusal.NotJoined);
    private long Participant => Context.Items[ParticipantKey] as long? ?? throw Refuse(LiveRefusal.NotJoined);

    private Guid? UserId => Guid.TryParse(Context.User?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>
    /// A signed-in person is themselves everywhere. Anyone else is a participant token: the browser's <c>eng-live</c>
    /// cookie, or <c>?participant=</c> on the hub URL for clients without cookies, or a new one, returned by Join so
    /// the client can come back as the same participant after a reconnect. A new one (128 random bits) is fresh: no
    /// row can have it, so none is looked up.
    /// </summary>
    private (string Key, string? Token, bool Fresh) ParticipantKeyFor(Guid? userId)
    {
        if (userId is { } id) return ($"u:{id:N}", null, false);
        var request = Context.GetHttpContext()?.Request;
        var token = request?.Cookies[ParticipantCookie] is { } cookie && IsToken(cookie) ? cookie
            : request?.Query["participant"].ToString() is { } query && IsToken(query) ? query
            : null;
        var fresh = token is null;
        token ??= Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        return ($"c:{token}", token, fresh);
    }

    private static bool IsToken(string value) => value.Length is >= 16 and <= 64 && value.All(char.IsAsciiLetterOrDigit);

    private void UseCulture()
    {
        if (Context.Items[CultureKey] is CultureInfo culture)
        {
            CultureInfo.CurrentUICulture = culture;
            CultureInfo.CurrentCulture = culture;
        }
    }

    private HubException Refuse(LiveRefusal refusal) => new(LiveMessages.For(text, refusal));
}

public static class LiveMessages
{
    public static string For(IStringLocalizer text, LiveRefusal refusal) => refusal switch
    {
        LiveRefusal.TooLong => text["Live.Error.TooLong", LiveRules.MaxQuestionLength],
        LiveRefusal.NicknameTooLong => text["Live.Error.NicknameTooLong", LiveRules.MaxNicknameLength],
        _ => text["Live.Error." + refusal],
    };
}

/// <summary>How many connections on this instance follow each session (participants and projectors).</summary>
public sealed class LiveAudience
{
    private readonly ConcurrentDictionary<int, int> _counts = new();

    public void Joined(int sessionId) => _counts.AddOrUpdate(sessionId, 1, (_, n) => n + 1);
    public void Left(int sessionId) => _counts.AddOrUpdate(sessionId, 0, (_, n) => Math.Max(0, n - 1));
    public int Count(int sessionId) => _counts.GetValueOrDefault(sessionId);

    /// <summary>Every session's connections on this instance.</summary>
    public int Total()
    {
        var total = 0;
        foreach (var (_, n) in _counts) total += n;
        return total;
    }
}

/// <summary>Counts each call a client makes to the hub (engagement.live.hub.messages, direction=in).</summary>
public sealed class LiveHubMessageCount(Platform.Telemetry.EngagementMetrics metrics) : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        metrics.HubMessagesIn();
        return next(invocationContext);
    }
}

/// <summary>
/// Sends what the service decided, to everyone in the session or to its hosts only: at once, one event per change, to
/// version 1 connections, and in the next frame to version 2 connections (<see cref="LiveFrames"/>).
/// </summary>
public sealed class LiveNotifier(IHubContext<LiveHub> hub, LiveFrames frames, Platform.Telemetry.EngagementMetrics metrics)
{
    public async Task SendAsync(int sessionId, IEnumerable<LiveChange> changes)
    {
        var list = changes as IReadOnlyCollection<LiveChange> ?? changes.ToList();
        if (list.Count == 0) return;
        frames.Add(sessionId, list);
        foreach (var change in list)
        {
            var group = change.HostsOnly ? LiveEvents.Hosts(sessionId) : LiveEvents.Everyone(sessionId);
            await hub.Clients.Group(group).SendAsync(change.Event, change.Payload);
        }
        metrics.HubMessagesOut(list.Count);
    }
}

/// <summary>
/// Per-participant limits on questions and votes (<c>Live:QuestionsPerMinute</c>, <c>Live:VotesPerMinute</c>), in this
/// instance's memory: a participant's connection lives on one instance.
/// </summary>
public sealed class LiveRateLimits(IOptions<LiveOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<long> _questions = PartitionedRateLimiter.Create<long, long>(id =>
        RateLimitPartition.GetSlidingWindowLimiter(id, _ => Window(options.Value.QuestionsPerMinute)));
    private readonly PartitionedRateLimiter<long> _votes = PartitionedRateLimiter.Create<long, long>(id =>
        RateLimitPartition.GetSlidingWindowLimiter(id, _ => Window(options.Value.VotesPerMinute)));

    private static SlidingWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits), Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6, QueueLimit = 0, AutoReplenishment = true,
    };

    public bool TryAsk(long participant) => _questions.AttemptAcquire(participant).IsAcquired;
    public bool TryVote(long participant) => _votes.AttemptAcquire(participant).IsAcquired;

    public void Dispose()
    {
        _questions.Dispose();
        _votes.Dispose();
    }
}

/// <summary>
/// Coalesces vote-count updates: votes are stored at once, and every <c>Live:VoteFlushMilliseconds</c> the questions
/// whose votes changed are recounted from the vote rows and pushed once each, at most
/// <c>Live:VoteUpdatesPerFlush</c> of them (those with the most new votes first; the rest wait for the next round).
/// A storm of votes therefore costs each participant a bounded number of messages a second, however many people vote,
/// and because counts are recounted (not added up), several instances never count a vote twice.
/// </summary>
public sealed class LiveVoteFlusher(IServiceScopeFactory scopes, LiveNotifier notifier, LiveAudience audience, LiveWrites writes, IOptions<LiveOptions> options,
    ILogger<LiveVoteFlusher> logger) : BackgroundService
{
    // Per session: question id -> votes changed since its count was last pushed.
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<long, int>> _dirty = new();

    // Per session: polls whose totals changed.
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<int, byte>> _polls = new();

    public void Changed(int sessionId, long questionId, int changes = 1) =>
        _dirty.GetOrAdd(sessionId, _ => new ConcurrentDictionary<long, int>()).AddOrUpdate(questionId, changes, (_, n) => n + changes);

    public void PollChanged(int sessionId, int pollId) =>
        _polls.GetOrAdd(sessionId, _ => new ConcurrentDictionary<int, byte>())[pollId] = 0;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Votes stored just before a stop may not have reached the counts: recount the open sessions before serving.
        try
        {
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<LiveService>().RecountOpenSessionsAsync(cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Recounting the votes of open live sessions failed");
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(20, options.Value.VoteFlushMilliseconds)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await FlushAsync(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // What is still waiting goes out (and into the counts) before the process ends.
        try
        {
            await FlushAsync(CancellationToken.None);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Final push of live vote counts failed");
        }
    }

    public async Task FlushAsync(CancellationToken ct = default)
    {
        foreach (var (sessionId, polls) in _polls)
        {
            var ids = polls.Keys.ToList();
            foreach (var id in ids) polls.TryRemove(id, out _);
            if (ids.Count == 0) continue;
            try
            {
                using var scope = scopes.CreateScope();
                IReadOnlyList<PollDto> updates;
                using (await writes.EnterAsync()) updates = await scope.ServiceProvider.GetRequiredService<LiveService>().PollUpdatesAsync(sessionId, ids, ct);
                await notifier.SendAsync(sessionId, updates.Select(p => new LiveChange(LiveEvents.PollUpdated, p)));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                foreach (var id in ids) PollChanged(sessionId, id);
                logger.LogWarning(error, "Poll totals of live session {Session} could not be pushed; retrying", sessionId);
            }
        }
        foreach (var (sessionId, questions) in _dirty)
        {
            // A large audience gets fewer vote updates per round, so they never take more than
            // Live:VoteUpdateMessagesPerSecond of this instance's sending (new questions always go at once).
            var perSecond = 1000.0 / Math.Max(20, options.Value.VoteFlushMilliseconds);
            var budget = (int)(options.Value.VoteUpdateMessagesPerSecond / perSecond / Math.Max(1, audience.Count(sessionId)));
            var limit = Math.Clamp(budget, 1, Math.Max(1, options.Value.VoteUpdatesPerFlush));
            // Take this round's questions out; votes arriving meanwhile mark them dirty again.
            var round = questions.ToArray().OrderByDescending(q => q.Value).Take(limit).ToList();
            foreach (var (id, _) in round) questions.TryRemove(id, out _);
            if (round.Count == 0) continue;
            try
            {
                using var scope = scopes.CreateScope();
                LiveChange[] recounted;
                using (await writes.EnterAsync()) recounted = await scope.ServiceProvider.GetRequiredService<LiveService>().RecountAsync(sessionId, round.Select(q => q.Key).ToList(), ct);
                await notifier.SendAsync(sessionId, recounted);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // Put them back: the next round tries again, and nothing is lost (the votes are already stored).
                foreach (var (id, changes) in round) Changed(sessionId, id, changes);
                logger.LogWarning(error, "Vote counts of live session {Session} could not be pushed; retrying", sessionId);
            }
        }
    }
}
