using MessagePack;

namespace Engagement.Web.Features.Live;

// The hub's public protocol (docs/API.md): camelCase names, as SignalR's JSON protocol writes them. The MessagePack
// protocol is offered beside JSON; the Key attributes give its maps the same names (without them SignalR's MessagePack
// resolver would write the C# names).

/// <summary>A question as every participant sees it; author is null when the asker chose anonymity.</summary>
[MessagePackObject]
public sealed record QuestionDto([property: Key("id")] long Id, [property: Key("text")] string Text, [property: Key("author")] string? Author,
    [property: Key("votes")] int Votes, [property: Key("status")] string Status, [property: Key("answer")] string? Answer,
    [property: Key("pinned")] bool Pinned, [property: Key("askedAt")] DateTimeOffset AskedAt, [property: Key("seq")] long Seq,
    [property: Key("answeredLive")] bool AnsweredLive);

[MessagePackObject]
public sealed record PollOptionDto([property: Key("id")] int Id, [property: Key("text")] string Text, [property: Key("votes")] int Votes);

[MessagePackObject]
public sealed record PollDto([property: Key("id")] int Id, [property: Key("question")] string Question, [property: Key("multiple")] bool Multiple,
    [property: Key("status")] string Status, [property: Key("options")] IReadOnlyList<PollOptionDto> Options, [property: Key("total")] int Total,
    [property: Key("seq")] long Seq);

/// <summary>What Join and Watch return: the session and everything a client needs to draw it from scratch.</summary>
[MessagePackObject]
public sealed record JoinResult([property: Key("sessionId")] int SessionId, [property: Key("title")] string Title, [property: Key("moderation")] string Moderation,
    [property: Key("questions")] IReadOnlyList<QuestionDto> Questions, [property: Key("poll")] PollDto? Poll, [property: Key("status")] string Status,
    [property: Key("seq")] long Seq, [property: Key("isHost")] bool IsHost, [property: Key("nickname")] string? Nickname,
    [property: Key("myVotes")] IReadOnlyList<long> MyVotes, [property: Key("myPollAnswer")] IReadOnlyList<int> MyPollAnswer,
    [property: Key("participantToken")] string? ParticipantToken = null);

[MessagePackObject]
public sealed record AskResult([property: Key("id")] long Id, [property: Key("status")] string Status);

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
[MessagePackObject]
public sealed record FrameItem([property: Key("seq")] long Seq, [property: Key("event")] string Event, [property: Key("data")] object Data);

/// <summary>Version 2's one message per interval: every change of the session since the last frame, in order of seq.</summary>
[MessagePackObject]
public sealed record Frame([property: Key("sessionId")] int SessionId, [property: Key("items")] IReadOnlyList<FrameItem> Items);

/// <summary>A recounted question's votes, as version 2 frames carry them (event <c>Votes</c>).</summary>
[MessagePackObject]
public sealed record VoteCountDto([property: Key("id")] long Id, [property: Key("votes")] int Votes);

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
