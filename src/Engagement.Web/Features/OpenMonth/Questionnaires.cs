using System.Text.Json;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.OpenMonth;

public enum QuestionKind { SingleChoice, MultipleChoice, Rating, FreeText }

/// <summary>A question of an event's questionnaire (2023 §二十一: 问卷调查).</summary>
public sealed class Question
{
    public int Id { get; set; }
    public int EventId { get; set; }
    public int Position { get; set; }
    public QuestionKind Kind { get; set; }
    public string Text { get; set; } = "";
    public bool Required { get; set; }

    /// <summary>The choices, as a JSON array of strings (choice questions only).</summary>
    public string Options { get; set; } = "[]";

    public IReadOnlyList<string> OptionList => JsonSerializer.Deserialize<List<string>>(Options) ?? [];
}

/// <summary>
/// That a person answered (so each answers once), kept apart from what they answered: the response has a random id
/// and no time, so answers cannot be traced back to the person (a double envelope).
/// </summary>
public sealed class QuestionnaireParticipation
{
    public long Id { get; set; }
    public int EventId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset At { get; set; }
}

public sealed class QuestionnaireResponse
{
    public Guid Id { get; set; }
    public int EventId { get; set; }
    public List<QuestionAnswer> Answers { get; set; } = [];
}

public sealed class QuestionAnswer
{
    public long Id { get; set; }
    public Guid ResponseId { get; set; }
    public int QuestionId { get; set; }
    public int? Choice { get; set; }
    public int? Rating { get; set; }
    public string? Text { get; set; }

    /// <summary>Free text is public only once staff approved it (先审查、后公开): null waiting, true approved, false not published.</summary>
    public bool? Approved { get; set; }
}

internal sealed class QuestionConfiguration : IEntityTypeConfiguration<Question>
{
    public void Configure(EntityTypeBuilder<Question> builder)
    {
        builder.Property(q => q.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(q => q.Text).HasMaxLength(500).IsRequired();
        builder.Property(q => q.Options).HasMaxLength(4000);
        builder.Ignore(q => q.OptionList);
        builder.HasOne<OpenEvent>().WithMany().HasForeignKey(q => q.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(q => new { q.EventId, q.Position });
    }
}

internal sealed class QuestionnaireParticipationConfiguration : IEntityTypeConfiguration<QuestionnaireParticipation>
{
    public void Configure(EntityTypeBuilder<QuestionnaireParticipation> builder)
    {
        builder.HasOne<OpenEvent>().WithMany().HasForeignKey(p => p.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => new { p.EventId, p.UserId }).IsUnique();
    }
}

internal sealed class QuestionnaireResponseConfiguration : IEntityTypeConfiguration<QuestionnaireResponse>
{
    public void Configure(EntityTypeBuilder<QuestionnaireResponse> builder)
    {
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasOne<OpenEvent>().WithMany().HasForeignKey(r => r.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Answers).WithOne().HasForeignKey(a => a.ResponseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.EventId);
    }
}

internal sealed class QuestionAnswerConfiguration : IEntityTypeConfiguration<QuestionAnswer>
{
    public void Configure(EntityTypeBuilder<QuestionAnswer> builder)
    {
        builder.Property(a => a.Text).HasMaxLength(2000);
        builder.HasOne<Question>().WithMany().HasForeignKey(a => a.QuestionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.QuestionId);
    }
}

public sealed record QuestionResult(int Id, string Text, QuestionKind Kind, IReadOnlyList<(string Option, int Count)> Counts, double? AverageRating,
    IReadOnlyList<string> Texts);

public enum AnswerOutcome { Saved, NotFound, Duplicate, Invalid, NotRegistered, NotYetOpen, Closed }

public sealed record PendingText(long Id, string Question, string Text);

/// <summary>Questionnaires of open-day events: built by the organiser, answered once per person, results public.</summary>
public sealed class QuestionnaireService(EngagementDbContext db, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public const int MaxRating = 5;

    public async Task<IReadOnlyList<Question>> QuestionsAsync(int eventId, CancellationToken ct = default) =>
        await db.Set<Question>().AsNoTracking().Where(q => q.EventId == eventId).OrderBy(q => q.Position).ThenBy(q => q.Id).ToListAsync(ct);

    public async Task<string?> AddQuestionAsync(int eventId, QuestionKind kind, string? question, bool required, string? options, CancellationToken ct = default)
    {
        question = Consultation.Comments.Clean(question ?? "");
        if (question.Length is 0 or > 500) return text["Question.Text"];
        var choices = (options ?? "").Replace("\r\n", "\n").Split('\n').Select(o => o.Trim()).Where(o => o.Length > 0).Distinct().ToList();
        var isChoice = kind is QuestionKind.SingleChoice or QuestionKind.MultipleChoice;
        if (isChoice && (choices.Count < 2 || choices.Count > 20 || choices.Any(c => c.Length > 100))) return text["Question.Options"];
        if (await db.Set<QuestionnaireResponse>().AnyAsync(r => r.EventId == eventId, ct)) return text["Question.Answered"];
        var position = await db.Set<Question>().Where(q => q.EventId == eventId).Select(q => (int?)q.Position).MaxAsync(ct) ?? 0;
        db.Add(new Question
        {
            EventId = eventId, Position = position + 1, Kind = kind, Text = question, Required = required,
            Options = JsonSerializer.Serialize(isChoice ? choices : []),
        });
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Saves one person's answers: all required questions answered, choices and ratings in range, free text masked.</summary>
    public async Task<(AnswerOutcome Outcome, string? Error)> AnswerAsync(int eventId, Guid userId, IReadOnlyDictionary<int, string[]> answers, CancellationToken ct = default)
    {
        var questions = await QuestionsAsync(eventId, ct);
        if (questions.Count == 0) return (AnswerOutcome.NotFound, null);
        if (await MayAnswerAsync(eventId, userId, ct) is { } refused) return refused;
        if (await db.Set<QuestionnaireParticipation>().AnyAsync(p => p.EventId == eventId && p.UserId == userId, ct)) return (AnswerOutcome.Duplicate, text["Answer.Duplicate"]);
        var response = new QuestionnaireResponse { Id = Guid.NewGuid(), EventId = eventId };
        foreach (var question in questions)
        {
            var given = answers.TryGetValue(question.Id, out var values) ? values.Where(v => !string.IsNullOrWhiteSpace(v)).ToArray() : [];
            if (given.Length == 0)
            {
                if (question.Required) return (AnswerOutcome.Invalid, string.Format(text["Answer.Required"], question.Text));
                continue;
            }
            switch (question.Kind)
            {
                case QuestionKind.SingleChoice or QuestionKind.MultipleChoice:
                    var indexes = given.Select(v => int.TryParse(v, out var i) ? i : -1).Distinct().ToList();
                    if (indexes.Any(i => i < 0 || i >= question.OptionList.Count) || (question.Kind == QuestionKind.SingleChoice && indexes.Count > 1))
                    {
                        return (AnswerOutcome.Invalid, string.Format(text["Answer.Choice"], question.Text));
                    }
                    response.Answers.AddRange(indexes.Select(i => new QuestionAnswer { QuestionId = question.Id, Choice = i }));
                    break;
                case QuestionKind.Rating:
                    if (given.Length != 1 || !int.TryParse(given[0], out var rating) || rating is < 1 or > MaxRating)
                    {
                        return (AnswerOutcome.Invalid, string.Format(text["Answer.Rating"], question.Text, MaxRating));
                    }
                    response.Answers.Add(new QuestionAnswer { QuestionId = question.Id, Rating = rating });
                    break;
                default:
                    var body = Consultation.Comments.Clean(given[0]);
                    if (body.Length > 2000) return (AnswerOutcome.Invalid, string.Format(text["Reason.TooLong"], 2000));
                    response.Answers.Add(new QuestionAnswer { QuestionId = question.Id, Text = PersonalDataMasker.Mask(body).Masked, Approved = null });
                    break;
            }
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Add(new QuestionnaireParticipation { EventId = eventId, UserId = userId, At = clock.GetUtcNow() });
        db.Add(response);
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return (AnswerOutcome.Duplicate, text["Answer.Duplicate"]);
        }
        return (AnswerOutcome.Saved, null);
    }

    /// <summary>Answers are taken from the event's start until its closing time (ClosesAt).</summary>
    public static DateTimeOffset ClosesAt(OpenEvent ev) => ev.QuestionnaireClosesAt ?? ev.EndsAt.AddDays(14);

    /// <summary>
    /// Only those who were there answer: a confirmed registration or a check-in, from the event's start until the
    /// questionnaire closes. Null when the person may answer; else the refusal and what to tell them.
    /// </summary>
    public async Task<(AnswerOutcome Outcome, string? Error)?> MayAnswerAsync(int eventId, Guid userId, CancellationToken ct = default)
    {
        var ev = await db.Set<OpenEvent>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, ct);
        if (ev is null) return (AnswerOutcome.NotFound, null);
        var now = clock.GetUtcNow();
        if (!await db.Set<EventRegistration>().AnyAsync(r => r.EventId == eventId && r.UserId == userId
                && (r.Status == RegistrationStatus.Confirmed || r.CheckedInAt != null), ct))
        {
            return (AnswerOutcome.NotRegistered, text["Answer.NotRegistered"]);
        }
        if (now < ev.StartsAt)
        {
            return (AnswerOutcome.NotYetOpen, string.Format(text["Answer.NotYetOpen"], Platform.Time.ChinaTime.ToChina(ev.StartsAt).ToString("yyyy-MM-dd HH:mm")));
        }
        if (now > ClosesAt(ev))
        {
            return (AnswerOutcome.Closed, string.Format(text["Answer.Closed"], Platform.Time.ChinaTime.ToChina(ClosesAt(ev)).ToString("yyyy-MM-dd HH:mm")));
        }
        return null;
    }

    /// <summary>Free-text answers waiting for staff, oldest first.</summary>
    public async Task<IReadOnlyList<PendingText>> PendingTextsAsync(int eventId, CancellationToken ct = default) =>
        await db.Set<QuestionAnswer>().AsNoTracking()
            .Where(a => a.Text != null && a.Approved == null && db.Set<Question>().Any(q => q.Id == a.QuestionId && q.EventId == eventId))
            .OrderBy(a => a.Id)
            .Select(a => new PendingText(a.Id, db.Set<Question>().Where(q => q.Id == a.QuestionId).Select(q => q.Text).Single(), a.Text!))
            .ToListAsync(ct);

    /// <summary>Publishes a free-text answer, or keeps it off the results; false when it is not this event's or was decided already.</summary>
    public async Task<bool> ReviewAsync(int eventId, long answerId, bool approve, CancellationToken ct = default) =>
        await db.Set<QuestionAnswer>()
            .Where(a => a.Id == answerId && a.Text != null && a.Approved == null && db.Set<Question>().Any(q => q.Id == a.QuestionId && q.EventId == eventId))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Approved, approve), ct) == 1;

    public async Task<(int Responses, IReadOnlyList<QuestionResult> Results)> ResultsAsync(int eventId, CancellationToken ct = default)
    {
        var questions = await QuestionsAsync(eventId, ct);
        var responses = await db.Set<QuestionnaireResponse>().CountAsync(r => r.EventId == eventId, ct);
        var ids = questions.Select(q => q.Id).ToList();
        var answers = await db.Set<QuestionAnswer>().AsNoTracking().Where(a => ids.Contains(a.QuestionId)).ToListAsync(ct);
        var results = questions.Select(q =>
        {
            var mine = answers.Where(a => a.QuestionId == q.Id).ToList();
            var counts = q.Kind switch
            {
                QuestionKind.SingleChoice or QuestionKind.MultipleChoice => q.OptionList.Select((o, i) => (o, mine.Count(a => a.Choice == i))).ToList(),
                QuestionKind.Rating => Enumerable.Range(1, MaxRating).Select(r => (r.ToString(), mine.Count(a => a.Rating == r))).ToList(),
                _ => [],
            };
            var ratings = mine.Where(a => a.Rating is not null).Select(a => a.Rating!.Value).ToList();
            return new QuestionResult(q.Id, q.Text, q.Kind, counts, ratings.Count == 0 ? null : Math.Round(ratings.Average(), 2),
                mine.Where(a => a.Text is not null && a.Approved == true).Select(a => a.Text!).ToList());
        }).ToList();
        return (responses, results);
    }
}
