namespace Engagement.Web.Features.Live;

// The hub's public protocol (docs/API.md): JSON with camelCase names, as SignalR's JSON protocol writes them.

/// <summary>A question as every participant sees it; author is null when the asker chose anonymity.</summary>
public sealed record QuestionDto(long Id, string Text, string? Author, int Votes, string Status, string? Answer, bool Pinned,
    DateTimeOffset AskedAt, long Seq, bool AnsweredLive);

public sealed record PollOptionDto(int Id, string Text, int Votes);

public sealed record PollDto(int Id, string Question, bool Multiple, string Status, IReadOnlyList<PollOptionDto> Options, int Total, long Seq);

/// <summary>What Join and Watch return: the session and everything a client needs to draw it from scratch.</summary>
public sealed record JoinResult(int SessionId, string Title, string Moderation, IReadOnlyList<QuestionDto> Questions, PollDto? Poll,
    string Status, long Seq, bool IsHost, string? Nickname, IReadOnlyList<long> MyVotes, IReadOnlyList<int> MyPollAnswer, string? ParticipantToken = null);

public sealed record AskResult(long Id, string Status);

public enum LiveRefusal
{
    NotFound, Ended, SignInRequired, Blocked, Empty, TooLong, NicknameTooLong, RateLimited, AlreadyVoted, NotVoted,
    NotVotable, OwnQuestion, PollNotOpen, AlreadyAnswered, BadOptions, NotHost, NotJoined, BadPoll, SameQuestion, UnknownPerson, CannotHost, EmptyAnswer,
}

/// <summary>
/// A change to push: which event, to whom (everyone in the session or only its hosts), with what, numbered by the
/// session's change counter. Version 1 clients receive the event itself; version 2 clients receive it as an item of
/// the next frame, in its <see cref="Framed"/> form when it has one (a vote recount is sent as the count alone).
/// </summary>
public sealed record LiveChange(string Event, object Payload, bool HostsOnly = false, long Seq = 0, FrameItem? Framed = null)
{
    /// <summary>The change's sequence number: its own, or the question's or poll's it carries.</summary>
    public long SeqOrPayload => Seq != 0 ? Seq : Payload switch { QuestionDto q => q.Seq, PollDto p => p.Seq, _ => 0 };

    public FrameItem ToFrameItem() => Framed ?? new FrameItem(SeqOrPayload, Event, Payload);
}

/// <summary>One change in a version 2 frame: the version 1 event's name and payload, with its sequence number.</summary>
public sealed record FrameItem(long Seq, string Event, object Data);

/// <summary>Version 2's one message per interval: every change of the session since the last frame, in order of seq.</summary>
public sealed record Frame(int SessionId, IReadOnlyList<FrameItem> Items);

/// <summary>A recounted question's votes, as version 2 frames carry them (event <c>Votes</c>).</summary>
public sealed record VoteCountDto(long Id, int Votes);

public sealed record LiveOutcome(LiveRefusal? Refusal, IReadOnlyList<LiveChange> Changes, object? Value = null)
{
    public static LiveOutcome Refused(LiveRefusal refusal) => new(refusal, []);
    public static LiveOutcome Done(object? value = null, params LiveChange[] changes) => new(null, changes, value);
    public bool Succeeded => Refusal is null;
}

public static class LiveEvents
{
    public const string QuestionAdded = nameof(QuestionAdded);
    public const string QuestionUpdated = nameof(QuestionUpdated);
    public const string QuestionHidden = nameof(QuestionHidden);
    public const string PollOpened = nameof(PollOpened);
    public const string PollUpdated = nameof(PollUpdated);
    public const string PollClosed = nameof(PollClosed);
    public const string SessionEnded = nameof(SessionEnded);

    /// <summary>To hosts only: something in the moderation queue or the participant list changed.</summary>
    public const string QueueChanged = nameof(QueueChanged);

    /// <summary>Version 2: one message per interval carrying every change (<see cref="Live.Frame"/>).</summary>
    public const string Frame = nameof(Frame);

    /// <summary>Version 2 frame item: a question's recounted votes.</summary>
    public const string Votes = nameof(Votes);

    public static string Everyone(int sessionId) => $"live-{sessionId}";
    public static string Hosts(int sessionId) => $"live-{sessionId}-hosts";

    // Version 2 connections are in exactly one of these, so each is written at most once per frame.
    public static string Frames(int sessionId) => $"live-{sessionId}-v2";
    public static string HostFrames(int sessionId) => $"live-{sessionId}-hosts-v2";
}
