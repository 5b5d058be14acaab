using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.OpenMonth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Features.Live;

/// <summary>Pre: a question waits for a host before anyone else sees it. Post: shown at once, hidden if needed.</summary>
public enum LiveModeration { Pre, Post }

public enum LiveSessionStatus { Open, Ended }

public enum LiveQuestionStatus { Pending, Visible, Answered, Hidden }

public enum LivePollStatus { Open, Closed }

/// <summary>
/// A live Q&amp;A session: standalone (a policy briefing) or attached to an open-day event or a meeting.
/// <see cref="Seq"/> counts every change; each question and poll carries the value of its last change, so a client
/// can tell a newer state from an older one that arrives late.
/// </summary>
public sealed class LiveSession
{
    public int Id { get; set; }
    public string JoinCode { get; set; } = "";
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public int? EventId { get; set; }
    public OpenEvent? Event { get; set; }
    public int? MeetingId { get; set; }
    public Meeting? Meeting { get; set; }
    public bool RequireSignIn { get; set; }
    public LiveModeration Moderation { get; set; }
    public LiveSessionStatus Status { get; set; }
    public Guid? CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public long Seq { get; set; }
}

/// <summary>The session's creator and co-hosts: the people who may moderate it.</summary>
public sealed class LiveHost
{
    public int SessionId { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

/// <summary>
/// Someone who joined: a signed-in person, or a nickname tied to the browser's participant cookie (or, for a client
/// without cookies, to its connection). Votes and poll answers are per participant.
/// </summary>
public sealed class LiveParticipant
{
    public long Id { get; set; }
    public int SessionId { get; set; }
    public string Key { get; set; } = "";
    public Guid? UserId { get; set; }
    public string Nickname { get; set; } = "";
    public bool Blocked { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
}

public sealed class LiveQuestion
{
    public long Id { get; set; }
    public int SessionId { get; set; }
    public long ParticipantId { get; set; }
    public LiveParticipant? Participant { get; set; }
    public string Text { get; set; } = "";
    public bool Anonymous { get; set; }
    public LiveQuestionStatus Status { get; set; }

    /// <summary>Why a post-moderated question waits anyway (a blocked word), for the host.</summary>
    public string? HeldReason { get; set; }
    /// <summary>Personal data was found and masked before the question was stored and pushed: the host is told.</summary>
    public bool PersonalDataMasked { get; set; }
    public string? Answer { get; set; }
    public bool AnsweredLive { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public bool Pinned { get; set; }

    /// <summary>Recounted from <see cref="LiveVote"/> rows when vote updates are flushed, so it never drifts.</summary>
    public int Votes { get; set; }

    /// <summary>Set on a duplicate the host merged into another question (its votes moved there).</summary>
    public long? MergedIntoId { get; set; }
    public int Duplicates { get; set; }
    public DateTimeOffset AskedAt { get; set; }
    public long Seq { get; set; }
}

public sealed class LiveVote
{
    public long QuestionId { get; set; }
    public long ParticipantId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class LivePoll
{
    public int Id { get; set; }
    public int SessionId { get; set; }
    public string Question { get; set; } = "";
    public bool Multiple { get; set; }
    public LivePollStatus Status { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public long Seq { get; set; }
    public List<LivePollOption> Options { get; set; } = [];
}

public sealed class LivePollOption
{
    public int Id { get; set; }
    public int PollId { get; set; }
    public int Position { get; set; }
    public string Text { get; set; } = "";
    public int Votes { get; set; }
}

/// <summary>One per participant per poll; the options chosen, for the record.</summary>
public sealed class LivePollAnswer
{
    public int PollId { get; set; }
    public long ParticipantId { get; set; }
    public string OptionIds { get; set; } = "";
    public DateTimeOffset AnsweredAt { get; set; }
}

internal sealed class LiveSessionConfiguration : IEntityTypeConfiguration<LiveSession>
{
    public void Configure(EntityTypeBuilder<LiveSession> builder)
    {
        builder.Property(s => s.JoinCode).HasMaxLength(6).IsRequired();
        builder.HasIndex(s => s.JoinCode).IsUnique();
        builder.Property(s => s.Title).HasMaxLength(200).IsRequired();
        builder.Property(s => s.Description).HasMaxLength(2000);
        builder.Property(s => s.Moderation).HasConversion<string>().HasMaxLength(10);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(10);
        builder.HasOne(s => s.Event).WithMany().HasForeignKey(s => s.EventId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(s => s.Meeting).WithMany().HasForeignKey(s => s.MeetingId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.CreatedById).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class LiveHostConfiguration : IEntityTypeConfiguration<LiveHost>
{
    public void Configure(EntityTypeBuilder<LiveHost> builder)
    {
        builder.HasKey(h => new { h.SessionId, h.UserId });
        builder.HasOne<LiveSession>().WithMany().HasForeignKey(h => h.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(h => h.User).WithMany().HasForeignKey(h => h.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LiveParticipantConfiguration : IEntityTypeConfiguration<LiveParticipant>
{
    public void Configure(EntityTypeBuilder<LiveParticipant> builder)
    {
        builder.Property(p => p.Key).HasMaxLength(80).IsRequired();
        builder.Property(p => p.Nickname).HasMaxLength(40).IsRequired();
        builder.HasIndex(p => new { p.SessionId, p.Key }).IsUnique();
        builder.HasOne<LiveSession>().WithMany().HasForeignKey(p => p.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class LiveQuestionConfiguration : IEntityTypeConfiguration<LiveQuestion>
{
    public void Configure(EntityTypeBuilder<LiveQuestion> builder)
    {
        builder.Property(q => q.Text).HasMaxLength(LiveRules.MaxQuestionLength).IsRequired();
        builder.Property(q => q.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(q => q.HeldReason).HasMaxLength(100);
        builder.Property(q => q.Answer).HasMaxLength(LiveRules.MaxAnswerLength);
        builder.HasOne<LiveSession>().WithMany().HasForeignKey(q => q.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(q => q.Participant).WithMany().HasForeignKey(q => q.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(q => new { q.SessionId, q.Status });
    }
}

internal sealed class LiveVoteConfiguration : IEntityTypeConfiguration<LiveVote>
{
    public void Configure(EntityTypeBuilder<LiveVote> builder)
    {
        // One vote per participant per question: the key refuses the second.
        builder.HasKey(v => new { v.QuestionId, v.ParticipantId });
        builder.HasOne<LiveQuestion>().WithMany().HasForeignKey(v => v.QuestionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<LiveParticipant>().WithMany().HasForeignKey(v => v.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => v.ParticipantId);
    }
}

internal sealed class LivePollConfiguration : IEntityTypeConfiguration<LivePoll>
{
    public void Configure(EntityTypeBuilder<LivePoll> builder)
    {
        builder.Property(p => p.Question).HasMaxLength(300).IsRequired();
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(10);
        builder.HasOne<LiveSession>().WithMany().HasForeignKey(p => p.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Options).WithOne().HasForeignKey(o => o.PollId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LivePollOptionConfiguration : IEntityTypeConfiguration<LivePollOption>
{
    public void Configure(EntityTypeBuilder<LivePollOption> builder) => builder.Property(o => o.Text).HasMaxLength(200).IsRequired();
}

internal sealed class LivePollAnswerConfiguration : IEntityTypeConfiguration<LivePollAnswer>
{
    public void Configure(EntityTypeBuilder<LivePollAnswer> builder)
    {
        builder.HasKey(a => new { a.PollId, a.ParticipantId });
        builder.Property(a => a.OptionIds).HasMaxLength(200);
        builder.HasOne<LivePoll>().WithMany().HasForeignKey(a => a.PollId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<LiveParticipant>().WithMany().HasForeignKey(a => a.ParticipantId).OnDelete(DeleteBehavior.Restrict);
    }
}
