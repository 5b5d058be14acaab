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

/// <summary>A change to push: which event, to whom (everyone in the session or only its hosts), with what.</summary>
public sealed record LiveChange(string Event, object Payload, bool HostsOnly = false);

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

    public static string Everyone(int sessionId) => $"live-{sessionId}";
    public static string Hosts(int sessionId) => $"live-{sessionId}-hosts";
}
