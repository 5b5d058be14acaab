using Engagement.Web.Platform.Privacy;
using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Features.Live;

public sealed record NewSessionForm(string? Title, string? Description, int? EventId, int? MeetingId, bool RequireSignIn, LiveModeration Moderation);

/// <summary>
/// Live Q&amp;A sessions in the database: every question, vote, answer and poll answer is stored before anyone is told,
/// so a restarted server loses nothing and a reconnecting client catches up from a fresh snapshot. This class only
/// stores and decides; what to push is returned as <see cref="LiveChange"/>s that <see cref="LiveNotifier"/> sends.
/// </summary>
public sealed class LiveService(EngagementDbContext db, TimeProvider clock, AuditWriter audit, IOptionsMonitor<LiveOptions> options,
    LiveParticipantBatches joins, LiveSnapshots snapshots)
{
    /// <summary>
    /// The join path's queries, compiled once per model (a compiled query serves one model: SQLite's and PostgreSQL's
    /// differ): thousands of joins in a minute skip translating them each time.
    /// </summary>
    private sealed class JoinQueries
    {
        public readonly Func<EngagementDbContext, string, CancellationToken, Task<LiveSession?>> SessionByCode =
            EF.CompileAsyncQuery((EngagementDbContext db, string code, CancellationToken ct) => db.Set<LiveSession>().AsNoTracking().SingleOrDefault(s => s.JoinCode == code));

        public readonly Func<EngagementDbContext, int, string, CancellationToken, Task<LiveParticipant?>> ParticipantByKey =
            EF.CompileAsyncQuery((EngagementDbContext db, int sessionId, string key, CancellationToken ct) => db.Set<LiveParticipant>().SingleOrDefault(p => p.SessionId == sessionId && p.Key == key));

        public readonly Func<EngagementDbContext, int, CancellationToken, Task<long>> SessionSeq =
            EF.CompileAsyncQuery((EngagementDbContext db, int sessionId, CancellationToken ct) => db.Set<LiveSession>().Where(s => s.Id == sessionId).Select(s => s.Seq).Single());
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, JoinQueries> Compiled = new();

    private JoinQueries Join => Compiled.GetValue(db.Model, _ => new JoinQueries());

    public Task<LiveSession?> FindAsync(string? joinCode, CancellationToken ct = default) => Join.SessionByCode(db, LiveRules.NormalizeCode(joinCode), ct);

    public async Task<LiveSession> CreateAsync(NewSessionForm form, Guid hostId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var session = new LiveSession
        {
            Title = form.Title!.Trim(), Description = form.Description?.Trim() ?? "", EventId = form.EventId, MeetingId = form.MeetingId,
            RequireSignIn = form.RequireSignIn, Moderation = form.Moderation, CreatedById = hostId, CreatedAt = now, JoinCode = await FreeCodeAsync(ct),
        };
        db.Add(session);
        await db.SaveChangesAsync(ct);
        db.Add(new LiveHost { SessionId = session.Id, UserId = hostId, AddedAt = now });
        audit.Record("live.create", "LiveSession", session.Id.ToString(), null, new { session.JoinCode, session.Title });
        await db.SaveChangesAsync(ct);
        return session;
    }

    private async Task<string> FreeCodeAsync(CancellationToken ct)
    {
        while (true)
        {
            var code = LiveRules.NewJoinCode();
            if (!await db.Set<LiveSession>().AnyAsync(s => s.JoinCode == code, ct)) return code;
        }
    }

    public async Task<bool> IsHostAsync(int sessionId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (user.IsInRole(Roles.Admin)) return true;
        return Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            && await db.Set<LiveHost>().AnyAsync(h => h.SessionId == sessionId && h.UserId == id, ct);
    }

    // --- Joining ------------------------------------------------------------------------------------------------------

    /// <summary>Why this person may not join (sign-in required, nickname too long): nothing stored or entered yet.</summary>
    public static LiveRefusal? JoinRefusal(LiveSession session, Guid? userId, string? nickname) =>
        session.RequireSignIn && userId is null ? LiveRefusal.SignInRequired
        : LiveRules.CleanText(nickname).Length > LiveRules.MaxNicknameLength ? LiveRefusal.NicknameTooLong
        : null;

    /// <summary>
    /// Finds or creates the participant for this person (or browser) in the session. A new participant comes back with
    /// the session's seq as read in the transaction that stored the row (null otherwise).
    /// </summary>
    /// <param name="freshKey">The key was made for this join (a new random token): no row can have it, so none is looked up.</param>
    public async Task<(LiveParticipant? Participant, LiveRefusal? Refusal, bool New, long? Seq)> JoinAsync(LiveSession session, Guid? userId, string key, string? nickname,
        CancellationToken ct = default, bool freshKey = false)
    {
        if (JoinRefusal(session, userId, nickname) is { } refusal) return (null, refusal, false, null);
        var name = LiveRules.CleanText(nickname);
        // A nickname is public at once: personal data in it is masked like a question's. Left empty, the person is
        // 匿名/Anonymous to everyone (never the account's real name); hosts see a short handle so they can block.
        name = PersonalDataMasker.Mask(name).Masked;
        if (name.Length == 0) name = LiveRules.AnonymousHandlePrefix + Convert.ToHexString(BitConverter.GetBytes(key.GetHashCode()))[..4];
        if (name.Length > LiveRules.MaxNicknameLength) name = name[..LiveRules.MaxNicknameLength];

        var existing = freshKey ? null : await Join.ParticipantByKey(db, session.Id, key, ct);
        if (existing is not null)
        {
            if (!string.IsNullOrWhiteSpace(nickname) && existing.Nickname != name)
            {
                existing.Nickname = name;
                await db.SaveChangesAsync(ct);
            }
            return (existing, null, false, null);
        }
        // Written with the others joining at the same moment, in one batch.
        var joined = await joins.AddAsync(new LiveParticipant { SessionId = session.Id, Key = key, UserId = userId, Nickname = name, JoinedAt = clock.GetUtcNow() });
        return (joined.Row, null, true, joined.Seq);
    }

    /// <summary>
    /// Everything a client draws: questions participants may see (hosts also see the queue) and the open poll. What
    /// participants see is shared by every joiner until the session next changes (<see cref="LiveSnapshots"/>); only
    /// the person's own votes and poll answer are read for them, and not at all for someone who has just joined.
    /// </summary>
    /// <param name="knownSeq">The session's seq read after the connection entered its groups (with a new participant's row), if any.</param>
    public async Task<JoinResult> SnapshotAsync(LiveSession session, LiveParticipant? participant, bool isHost, bool newParticipant = false, long? knownSeq = null,
        CancellationToken ct = default)
    {
        // The sequence number before the questions, read after the connection has entered its groups: every change
        // numbered up to it is in what follows, and every later one reaches the connection, so a client can keep any
        // event numbered above it that arrives before this snapshot does. (The session's Seq as read by FindAsync is
        // too early: a change made meanwhile would be in neither.)
        var seq = knownSeq ?? await Join.SessionSeq(db, session.Id, ct);
        IReadOnlyList<QuestionDto> questions;
        PollDto? poll;
        if (isHost) (questions, poll) = await PublicStateAsync(session.Id, hostView: true, ct);
        else (_, questions, poll) = await snapshots.GetAsync(session.Id, seq);
        IReadOnlyList<long> myVotes = [];
        IReadOnlyList<int> myPoll = [];
        if (participant is not null && !newParticipant)
        {
            myVotes = await db.Set<LiveVote>().Where(v => v.ParticipantId == participant.Id).Select(v => v.QuestionId).ToListAsync(ct);
            if (poll is not null)
            {
                var answer = await db.Set<LivePollAnswer>().Where(a => a.PollId == poll.Id && a.ParticipantId == participant.Id).Select(a => a.OptionIds).SingleOrDefaultAsync(ct);
                myPoll = ParseIds(answer);
            }
        }
        return new JoinResult(session.Id, session.Title, session.Moderation.ToString().ToLowerInvariant(), questions,
            poll, session.Status.ToString().ToLowerInvariant(), seq, isHost, LiveRules.PublicNickname(participant?.Nickname), myVotes, myPoll);
    }

    /// <summary>The session's questions (the newest 1,000 shown; hosts also the queue) and its open poll.</summary>
    public async Task<(IReadOnlyList<QuestionDto> Questions, PollDto? Poll)> PublicStateAsync(int sessionId, bool hostView, CancellationToken ct = default)
    {
        var questions = await Questions(sessionId)
            .Where(q => q.Status == LiveQuestionStatus.Visible || q.Status == LiveQuestionStatus.Answered || (hostView && q.Status == LiveQuestionStatus.Pending))
            .OrderByDescending(q => q.Id).Take(1000).ToListAsync(ct);
        var poll = await db.Set<LivePoll>().AsNoTracking().Include(p => p.Options)
            .Where(p => p.SessionId == sessionId && p.Status == LivePollStatus.Open).OrderByDescending(p => p.Id).FirstOrDefaultAsync(ct);
        return (questions.Select(ToDto).ToList(), poll is null ? null : ToDto(poll));
    }

    private IQueryable<LiveQuestion> Questions(int sessionId) =>
        db.Set<LiveQuestion>().AsNoTracking().Include(q => q.Participant).Where(q => q.SessionId == sessionId);

    // --- Participants' actions ---------------------------------------------------------------------------------------

    public async Task<LiveOutcome> AskAsync(long participantId, string? text, bool anonymous, CancellationToken ct = default)
    {
        var (participant, session, refusal) = await ActorAsync(participantId, ct);
        if (refusal is not null) return LiveOutcome.Refused(refusal.Value);
        var clean = LiveRules.CleanText(text);
        if (clean.Length == 0) return LiveOutcome.Refused(LiveRefusal.Empty);
        if (clean.Length > LiveRules.MaxQuestionLength) return LiveOutcome.Refused(LiveRefusal.TooLong);

        var blocked = LiveRules.FindBlockedWord(clean, options.CurrentValue.BlockedWords);
        var status = session!.Moderation == LiveModeration.Pre || blocked is not null ? LiveQuestionStatus.Pending : LiveQuestionStatus.Visible;
        // Masked before it is stored, so what is pushed to every participant (post-moderated: at once) is masked too.
        var masked = PersonalDataMasker.Mask(clean);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var question = new LiveQuestion
        {
            SessionId = session.Id, ParticipantId = participant!.Id, Text = masked.Masked, PersonalDataMasked = masked.HasPersonalData, Anonymous = anonymous, Status = status,
            HeldReason = blocked is null ? null : "blocked-word", AskedAt = clock.GetUtcNow(), Seq = await NextSeqAsync(session.Id, ct),
        };
        db.Add(question);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        question.Participant = participant;
        var dto = ToDto(question);
        return LiveOutcome.Done(new AskResult(question.Id, status == LiveQuestionStatus.Visible ? "visible" : "pending"),
            new LiveChange(LiveEvents.QuestionAdded, dto, HostsOnly: status == LiveQuestionStatus.Pending),
            new LiveChange(LiveEvents.QueueChanged, question.Id, HostsOnly: true, Seq: question.Seq));
    }

    /// <summary>
    /// Stores a vote; the count is recounted and pushed by <see cref="LiveVoteFlusher"/>, coalesced. A vote is one
    /// statement that checks everything at once (the session is open, the participant not blocked, the question
    /// shown and not their own, no vote yet); only a refused vote reads further, to say why.
    /// </summary>
    public async Task<(LiveRefusal? Refusal, int SessionId)> VoteAsync(int sessionId, long participantId, long questionId, bool withdraw, CancellationToken ct = default)
    {
        if (!withdraw)
        {
            var now = ProviderNow();
            var stored = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "LiveVote" ("QuestionId", "ParticipantId", "CreatedAt")
                SELECT q."Id", p."Id", {now} FROM "LiveQuestion" q
                JOIN "LiveParticipant" p ON p."Id" = {participantId} AND p."SessionId" = q."SessionId" AND NOT p."Blocked"
                JOIN "LiveSession" s ON s."Id" = q."SessionId" AND s."Status" = 'Open'
                WHERE q."Id" = {questionId} AND q."SessionId" = {sessionId} AND q."Status" IN ('Visible', 'Answered') AND q."ParticipantId" <> {participantId}
                ON CONFLICT DO NOTHING
                """, ct);
            if (stored == 1) return (null, sessionId);
        }
        var (participant, session, refusal) = await ActorAsync(participantId, ct);
        if (refusal is not null) return (refusal, 0);
        var question = await db.Set<LiveQuestion>().AsNoTracking().Where(q => q.Id == questionId && q.SessionId == session!.Id)
            .Select(q => new { q.Status, q.ParticipantId }).SingleOrDefaultAsync(ct);
        if (question is null || question.Status is LiveQuestionStatus.Pending or LiveQuestionStatus.Hidden) return (LiveRefusal.NotVotable, 0);
        if (withdraw)
        {
            var removed = await db.Set<LiveVote>().Where(v => v.QuestionId == questionId && v.ParticipantId == participant!.Id).ExecuteDeleteAsync(ct);
            return (removed == 0 ? LiveRefusal.NotVoted : null, session!.Id);
        }
        if (question.ParticipantId == participant!.Id) return (LiveRefusal.OwnQuestion, 0);
        return (LiveRefusal.AlreadyVoted, 0);
    }

    /// <summary>
    /// Stores a poll answer and adds it to the options' tallies in one transaction that also checks the poll is still
    /// open; the new totals are pushed by <see cref="LiveVoteFlusher"/>, coalesced like vote counts.
    /// </summary>
    public async Task<(LiveRefusal? Refusal, int SessionId, PollDto? Poll)> AnswerPollAsync(long participantId, int pollId, IReadOnlyCollection<int>? optionIds, CancellationToken ct = default)
    {
        var (participant, session, refusal) = await ActorAsync(participantId, ct);
        if (refusal is not null) return (refusal, 0, null);
        var poll = await db.Set<LivePoll>().AsNoTracking().Include(p => p.Options).SingleOrDefaultAsync(p => p.Id == pollId && p.SessionId == session!.Id, ct);
        if (poll is null || poll.Status != LivePollStatus.Open) return (LiveRefusal.PollNotOpen, 0, null);
        var chosen = (optionIds ?? []).Distinct().ToList();
        if (chosen.Count == 0 || (!poll.Multiple && chosen.Count > 1) || chosen.Any(id => poll.Options.All(o => o.Id != id)))
        {
            return (LiveRefusal.BadOptions, 0, null);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Add(new LivePollAnswer { PollId = pollId, ParticipantId = participant!.Id, OptionIds = string.Join(',', chosen.Order()), AnsweredAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return (LiveRefusal.AlreadyAnswered, 0, null);
        }
        // Counted only while the poll is open, decided inside the transaction: an answer racing the close is refused.
        var counted = await db.Set<LivePollOption>()
            .Where(o => o.PollId == pollId && chosen.Contains(o.Id) && db.Set<LivePoll>().Any(p => p.Id == pollId && p.Status == LivePollStatus.Open))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Votes, o => o.Votes + 1), ct);
        if (counted != chosen.Count) return (LiveRefusal.PollNotOpen, 0, null);
        await transaction.CommitAsync(ct);
        return (null, session!.Id, await PollAsync(pollId, ct));
    }

    /// <summary>The polls' current totals with a new sequence number, for the coalesced push.</summary>
    public async Task<IReadOnlyList<PollDto>> PollUpdatesAsync(int sessionId, IReadOnlyCollection<int> pollIds, CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var seq = await NextSeqAsync(sessionId, ct);
        await db.Set<LivePoll>().Where(p => p.SessionId == sessionId && pollIds.Contains(p.Id)).ExecuteUpdateAsync(s => s.SetProperty(p => p.Seq, seq), ct);
        await transaction.CommitAsync(ct);
        return (await db.Set<LivePoll>().AsNoTracking().Include(p => p.Options).Where(p => pollIds.Contains(p.Id)).ToListAsync(ct)).Select(ToDto).ToList();
    }

    /// <summary>At start-up: every open session's vote counts recounted, in case the last push did not happen before a stop.</summary>
    public Task<int> RecountOpenSessionsAsync(CancellationToken ct = default) =>
        db.Set<LiveQuestion>().Where(q => db.Set<LiveSession>().Any(s => s.Id == q.SessionId && s.Status == LiveSessionStatus.Open))
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.Votes, q => db.Set<LiveVote>().Count(v => v.QuestionId == q.Id)), ct);

    private async Task<(LiveParticipant? Participant, LiveSession? Session, LiveRefusal? Refusal)> ActorAsync(long participantId, CancellationToken ct)
    {
        var participant = await db.Set<LiveParticipant>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == participantId, ct);
        if (participant is null) return (null, null, LiveRefusal.NotJoined);
        if (participant.Blocked) return (participant, null, LiveRefusal.Blocked);
        var session = await db.Set<LiveSession>().AsNoTracking().SingleAsync(s => s.Id == participant.SessionId, ct);
        return session.Status == LiveSessionStatus.Ended ? (participant, session, LiveRefusal.Ended) : (participant, session, null);
    }

    // --- Hosts' actions ----------------------------------------------------------------------------------------------

    public Task<LiveOutcome> ApproveAsync(int sessionId, long questionId, CancellationToken ct = default) =>
        ChangeQuestionAsync(sessionId, questionId, "live.approve", q =>
        {
            if (q.Status != LiveQuestionStatus.Pending) return false;
            q.Status = LiveQuestionStatus.Visible;
            q.HeldReason = null;
            return true;
        });

    public Task<LiveOutcome> HideAsync(int sessionId, long questionId, CancellationToken ct = default) =>
        ChangeQuestionAsync(sessionId, questionId, "live.hide", q =>
        {
            if (q.Status == LiveQuestionStatus.Hidden) return false;
            q.Status = LiveQuestionStatus.Hidden;
            q.Pinned = false;
            return true;
        });

    /// <summary>Answers in writing, or "answered live" when the text is empty.</summary>
    public Task<LiveOutcome> AnswerAsync(int sessionId, long questionId, string? answer, CancellationToken ct = default)
    {
        var text = (answer ?? "").Trim();
        if (text.Length > LiveRules.MaxAnswerLength) return Task.FromResult(LiveOutcome.Refused(LiveRefusal.TooLong));
        return ChangeQuestionAsync(sessionId, questionId, "live.answer", q =>
        {
            if (q.Status == LiveQuestionStatus.Hidden) return false;
            q.Status = LiveQuestionStatus.Answered;
            q.Answer = text.Length == 0 ? null : text;
            q.AnsweredLive = text.Length == 0;
            q.AnsweredAt = clock.GetUtcNow();
            q.HeldReason = null;
            return true;
        });
    }

    /// <summary>Pins the question being answered (unpinning any other), or unpins everything when questionId is null.</summary>
    public async Task<LiveOutcome> PinAsync(int sessionId, long? questionId, CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The sequence number first: it locks the session, so what is read next is what this change numbers.
        var seq = await NextSeqAsync(sessionId, ct);
        var changed = await db.Set<LiveQuestion>().Where(q => q.SessionId == sessionId && (q.Pinned || q.Id == questionId)).ToListAsync(ct);
        if (questionId is not null && changed.All(q => q.Id != questionId)) return LiveOutcome.Refused(LiveRefusal.NotFound);
        if (changed.FirstOrDefault(q => q.Id == questionId) is { Status: LiveQuestionStatus.Hidden or LiveQuestionStatus.Pending }) return LiveOutcome.Refused(LiveRefusal.NotVotable);
        foreach (var q in changed)
        {
            q.Pinned = q.Id == questionId;
            q.Seq = seq;
        }
        audit.Record("live.pin", "LiveSession", sessionId.ToString(), null, new { questionId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return LiveOutcome.Done(null, await UpdatesAsync(changed.Select(q => q.Id), ct));
    }

    /// <summary>Merges a duplicate into another question: its voters' votes move there (once each) and it is hidden.</summary>
    public async Task<LiveOutcome> MergeAsync(int sessionId, long duplicateId, long intoId, CancellationToken ct = default)
    {
        if (duplicateId == intoId) return LiveOutcome.Refused(LiveRefusal.SameQuestion);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var seq = await NextSeqAsync(sessionId, ct);
        var pair = await db.Set<LiveQuestion>().Where(q => q.SessionId == sessionId && (q.Id == duplicateId || q.Id == intoId)).ToListAsync(ct);
        var duplicate = pair.SingleOrDefault(q => q.Id == duplicateId);
        var target = pair.SingleOrDefault(q => q.Id == intoId);
        if (duplicate is null || target is null || target.Status == LiveQuestionStatus.Hidden) return LiveOutcome.Refused(LiveRefusal.NotFound);
        // The duplicate's voters, and its asker, now support the target; anyone already there (or its own asker) is skipped,
        // including a vote cast on the target while this runs.
        var now = ProviderNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "LiveVote" ("QuestionId", "ParticipantId", "CreatedAt")
            SELECT {intoId}, v."ParticipantId", {now} FROM "LiveVote" v
            WHERE v."QuestionId" = {duplicateId} AND v."ParticipantId" <> {target.ParticipantId}
            ON CONFLICT DO NOTHING
            """, ct);
        if (duplicate.ParticipantId != target.ParticipantId)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "LiveVote" ("QuestionId", "ParticipantId", "CreatedAt") VALUES ({intoId}, {duplicate.ParticipantId}, {now})
                ON CONFLICT DO NOTHING
                """, ct);
        }
        duplicate.Status = LiveQuestionStatus.Hidden;
        duplicate.Pinned = false;
        duplicate.MergedIntoId = intoId;
        duplicate.Seq = seq;
        target.Duplicates += 1 + duplicate.Duplicates;
        target.Votes = await db.Set<LiveVote>().CountAsync(v => v.QuestionId == intoId, ct);
        target.Seq = seq;
        if (target.Status == LiveQuestionStatus.Pending) target.Status = LiveQuestionStatus.Visible;
        audit.Record("live.merge", "LiveSession", sessionId.ToString(), null, new { duplicateId, intoId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        var changes = new List<LiveChange> { new(LiveEvents.QuestionHidden, duplicateId, Seq: seq) };
        changes.AddRange(await UpdatesAsync([intoId], ct));
        changes.Add(new LiveChange(LiveEvents.QueueChanged, duplicateId, HostsOnly: true, Seq: seq));
        return LiveOutcome.Done(null, changes.ToArray());
    }

    public async Task<LiveOutcome> BlockAsync(int sessionId, long participantId, CancellationToken ct = default)
    {
        var blocked = await db.Set<LiveParticipant>().Where(p => p.Id == participantId && p.SessionId == sessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Blocked, true), ct);
        if (blocked == 0) return LiveOutcome.Refused(LiveRefusal.NotFound);
        // Their waiting questions leave the queue; what was already answered stays on the record.
        var waiting = await db.Set<LiveQuestion>().Where(q => q.ParticipantId == participantId && (q.Status == LiveQuestionStatus.Pending || q.Status == LiveQuestionStatus.Visible))
            .Select(q => q.Id).ToListAsync(ct);
        var changes = new List<LiveChange>();
        foreach (var id in waiting)
        {
            changes.AddRange((await HideAsync(sessionId, id, ct)).Changes);
        }
        audit.Record("live.block", "LiveSession", sessionId.ToString(), null, new { participantId });
        await db.SaveChangesAsync(ct);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            changes.Add(new LiveChange(LiveEvents.QueueChanged, participantId, HostsOnly: true, Seq: await NextSeqAsync(sessionId, ct)));
            await transaction.CommitAsync(ct);
        }
        return LiveOutcome.Done(null, changes.ToArray());
    }

    public async Task<LiveOutcome> OpenPollAsync(int sessionId, string? question, bool multiple, IEnumerable<string?>? options, CancellationToken ct = default)
    {
        var text = LiveRules.CleanText(question);
        var choices = (options ?? []).Select(LiveRules.CleanText).Where(o => o.Length > 0).ToList();
        if (text.Length is 0 or > 300 || choices.Count is < 2 or > LiveRules.MaxPollOptions || choices.Any(c => c.Length > 200)
            || choices.Distinct().Count() != choices.Count)
        {
            return LiveOutcome.Refused(LiveRefusal.BadPoll);
        }
        if (await db.Set<LiveSession>().AnyAsync(s => s.Id == sessionId && s.Status == LiveSessionStatus.Ended, ct)) return LiveOutcome.Refused(LiveRefusal.Ended);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changes = new List<LiveChange>();
        // One poll at a time: opening a new one closes the last.
        foreach (var open in await db.Set<LivePoll>().Where(p => p.SessionId == sessionId && p.Status == LivePollStatus.Open).Select(p => p.Id).ToListAsync(ct))
        {
            changes.AddRange((await ClosePollCoreAsync(sessionId, open, ct)).Changes);
        }
        var poll = new LivePoll
        {
            SessionId = sessionId, Question = text, Multiple = multiple, Status = LivePollStatus.Open, OpenedAt = clock.GetUtcNow(), Seq = await NextSeqAsync(sessionId, ct),
            Options = choices.Select((c, i) => new LivePollOption { Position = i, Text = c }).ToList(),
        };
        db.Add(poll);
        audit.Record("live.poll.open", "LiveSession", sessionId.ToString(), null, new { poll.Question });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        var dto = ToDto(poll);
        changes.Add(new LiveChange(LiveEvents.PollOpened, dto));
        return LiveOutcome.Done(dto, changes.ToArray());
    }

    public async Task<LiveOutcome> ClosePollAsync(int sessionId, int pollId, CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await ClosePollCoreAsync(sessionId, pollId, ct);
        if (outcome.Succeeded) audit.Record("live.poll.close", "LiveSession", sessionId.ToString(), null, new { pollId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return outcome;
    }

    private async Task<LiveOutcome> ClosePollCoreAsync(int sessionId, int pollId, CancellationToken ct)
    {
        var seq = await NextSeqAsync(sessionId, ct);
        var closed = await db.Set<LivePoll>().Where(p => p.Id == pollId && p.SessionId == sessionId && p.Status == LivePollStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, LivePollStatus.Closed).SetProperty(p => p.ClosedAt, clock.GetUtcNow()).SetProperty(p => p.Seq, seq), ct);
        if (closed == 0) return LiveOutcome.Refused(LiveRefusal.PollNotOpen);
        var dto = await PollAsync(pollId, ct);
        return LiveOutcome.Done(dto, new LiveChange(LiveEvents.PollClosed, dto));
    }

    public async Task<LiveRefusal?> AddCoHostAsync(int sessionId, string? email, CancellationToken ct = default)
    {
        var normalized = (email ?? "").Trim().ToUpperInvariant();
        var user = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => new { u.Id }).SingleOrDefaultAsync(ct);
        if (user is null) return LiveRefusal.UnknownPerson;
        string[] hostRoles = [Roles.Host, Roles.Staff, Roles.Admin];
        if (!await db.UserRoles.AnyAsync(ur => ur.UserId == user.Id && db.Roles.Any(r => r.Id == ur.RoleId && hostRoles.Contains(r.Name!)), ct)) return LiveRefusal.CannotHost;
        if (await db.Set<LiveHost>().AnyAsync(h => h.SessionId == sessionId && h.UserId == user.Id, ct)) return null;
        db.Add(new LiveHost { SessionId = sessionId, UserId = user.Id, AddedAt = clock.GetUtcNow() });
        audit.Record("live.cohost", "LiveSession", sessionId.ToString(), null, new { user.Id });
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Ends the session: the poll closes, nothing stays pinned, and the answered questions become its archive.</summary>
    public async Task<LiveOutcome> EndAsync(int sessionId, CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ended = await db.Set<LiveSession>().Where(s => s.Id == sessionId && s.Status == LiveSessionStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, LiveSessionStatus.Ended).SetProperty(x => x.EndedAt, clock.GetUtcNow()), ct);
        if (ended == 0) return LiveOutcome.Refused(LiveRefusal.Ended);
        var changes = new List<LiveChange>();
        foreach (var open in await db.Set<LivePoll>().Where(p => p.SessionId == sessionId && p.Status == LivePollStatus.Open).Select(p => p.Id).ToListAsync(ct))
        {
            changes.AddRange((await ClosePollCoreAsync(sessionId, open, ct)).Changes);
        }
        await db.Set<LiveQuestion>().Where(q => q.SessionId == sessionId && q.Pinned).ExecuteUpdateAsync(s => s.SetProperty(q => q.Pinned, false), ct);
        var seq = await NextSeqAsync(sessionId, ct);
        audit.Record("live.end", "LiveSession", sessionId.ToString(), null, null);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        changes.Add(new LiveChange(LiveEvents.SessionEnded, sessionId, Seq: seq));
        return LiveOutcome.Done(null, changes.ToArray());
    }

    private async Task<LiveOutcome> ChangeQuestionAsync(int sessionId, long questionId, string action, Func<LiveQuestion, bool> change)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        // The sequence number first: it locks the session, so the question read next (its vote count too) is current.
        var seq = await NextSeqAsync(sessionId, default);
        var question = await db.Set<LiveQuestion>().Include(q => q.Participant).SingleOrDefaultAsync(q => q.Id == questionId && q.SessionId == sessionId);
        if (question is null) return LiveOutcome.Refused(LiveRefusal.NotFound);
        var wasPublic = question.Status is LiveQuestionStatus.Visible or LiveQuestionStatus.Answered;
        if (!change(question)) return LiveOutcome.Done(null);
        question.Seq = seq;
        audit.Record(action, "LiveSession", sessionId.ToString(), null, new { questionId });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();

        var dto = ToDto(question);
        var changes = new List<LiveChange>();
        if (question.Status == LiveQuestionStatus.Hidden)
        {
            changes.Add(new LiveChange(LiveEvents.QuestionHidden, question.Id, Seq: seq));
        }
        else
        {
            changes.Add(new LiveChange(wasPublic ? LiveEvents.QuestionUpdated : LiveEvents.QuestionAdded, dto));
        }
        changes.Add(new LiveChange(LiveEvents.QueueChanged, question.Id, HostsOnly: true, Seq: seq));
        return LiveOutcome.Done(dto, changes.ToArray());
    }

    // --- Vote counts, recounted --------------------------------------------------------------------------------------

    /// <summary>Recounts the questions' votes from the vote rows, gives them a new sequence number and returns the updates to push.</summary>
    public async Task<LiveChange[]> RecountAsync(int sessionId, IReadOnlyCollection<long> questionIds, CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var seq = await NextSeqAsync(sessionId, ct);
        await db.Set<LiveQuestion>().Where(q => q.SessionId == sessionId && questionIds.Contains(q.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.Votes, q => db.Set<LiveVote>().Count(v => v.QuestionId == q.Id)).SetProperty(q => q.Seq, seq), ct);
        await transaction.CommitAsync(ct);
        // Version 2 frames carry a recount as the count alone.
        return (await UpdatesAsync(questionIds, ct))
            .Select(c => c with { Framed = new FrameItem(((QuestionDto)c.Payload).Seq, LiveEvents.Votes, new VoteCountDto(((QuestionDto)c.Payload).Id, ((QuestionDto)c.Payload).Votes)) })
            .ToArray();
    }

    private async Task<LiveChange[]> UpdatesAsync(IEnumerable<long> ids, CancellationToken ct)
    {
        var list = ids.ToList();
        var questions = await db.Set<LiveQuestion>().AsNoTracking().Include(q => q.Participant).Where(q => list.Contains(q.Id)).ToListAsync(ct);
        return questions.Where(q => q.Status is LiveQuestionStatus.Visible or LiveQuestionStatus.Answered)
            .Select(q => new LiveChange(LiveEvents.QuestionUpdated, ToDto(q))).ToArray();
    }

    /// <summary>Now, as the vote table stores it (SQLite keeps instants as UTC ticks, PostgreSQL as timestamptz), for raw SQL.</summary>
    private object? ProviderNow() =>
        db.Model.FindEntityType(typeof(LiveVote))!.FindProperty(nameof(LiveVote.CreatedAt))!.GetTypeMapping().Converter is { } converter
            ? converter.ConvertToProvider(clock.GetUtcNow())
            : clock.GetUtcNow();

    /// <summary>The session's next sequence number; call inside the transaction that stores the change it numbers.</summary>
    private async Task<long> NextSeqAsync(int sessionId, CancellationToken ct)
    {
        await db.Set<LiveSession>().Where(s => s.Id == sessionId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Seq, x => x.Seq + 1), ct);
        return await db.Set<LiveSession>().Where(s => s.Id == sessionId).Select(s => s.Seq).SingleAsync(ct);
    }

    public async Task<PollDto> PollAsync(int pollId, CancellationToken ct = default) =>
        ToDto(await db.Set<LivePoll>().AsNoTracking().Include(p => p.Options).SingleAsync(p => p.Id == pollId, ct));

    public static QuestionDto ToDto(LiveQuestion q) =>
        new(q.Id, q.Text, q.Anonymous ? null : LiveRules.PublicNickname(q.Participant?.Nickname), q.Votes, LiveRules.Status(q.Status), q.Answer, q.Pinned, q.AskedAt, q.Seq, q.AnsweredLive);

    public static PollDto ToDto(LivePoll p)
    {
        var options = p.Options.OrderBy(o => o.Position).Select(o => new PollOptionDto(o.Id, o.Text, o.Votes)).ToList();
        return new PollDto(p.Id, p.Question, p.Multiple, p.Status.ToString().ToLowerInvariant(), options, options.Sum(o => o.Votes), p.Seq);
    }

    private static IReadOnlyList<int> ParseIds(string? ids) =>
        string.IsNullOrEmpty(ids) ? [] : ids.Split(',').Select(int.Parse).ToList();
}
