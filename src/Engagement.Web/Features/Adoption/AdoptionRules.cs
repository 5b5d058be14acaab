using Engagement.Web.Features.Calendar;
using Engagement.Web.Features.Consultation;

namespace Engagement.Web.Features.Adoption;

/// <summary>Settings under <c>Adoption:</c> in configuration.</summary>
public sealed class AdoptionOptions
{
    /// <summary>A cluster holding at least this share of a decision's comments is widely raised (较为集中意见).</summary>
    public double WidelyRaisedShare { get; set; } = 0.1;

    /// <summary>A cluster holding at least this many comments is widely raised, whatever its share.</summary>
    public int WidelyRaisedCount { get; set; } = 10;

    /// <summary>Working days before the due date on which the drafting unit is reminded (and again on the day).</summary>
    public int ReminderWorkingDaysBefore { get; set; } = 3;
}

/// <summary>The due date of a report, or why it cannot be known yet.</summary>
public sealed record ReportDeadline(DateOnly? DueOn, int? MissingYear)
{
    public bool IsKnown => DueOn is not null;
}

/// <summary>The rules of the adoption report (2022 §四(二), 2023 §十九), as plain functions.</summary>
public static class AdoptionRules
{
    /// <summary>2022 §四(二): the adoption of opinions is made public within 10 working days of the decision's issue.</summary>
    public const int ReportWorkingDays = 10;
    public const int MaxReasonLength = 2000;

    public static ReportDeadline DueDate(WorkingDayCalendar calendar, DateOnly issuedOn)
    {
        try
        {
            return new ReportDeadline(calendar.AddWorkingDays(issuedOn, ReportWorkingDays), null);
        }
        catch (CalendarMissingException missing)
        {
            return new ReportDeadline(null, missing.Year);
        }
    }

    /// <summary>
    /// The working day that lies <paramref name="workingDays"/> working days before <paramref name="due"/>
    /// (so counting forward from it reaches the due date), or null when the calendar for that stretch is missing.
    /// </summary>
    public static DateOnly? WorkingDaysBefore(WorkingDayCalendar calendar, DateOnly due, int workingDays)
    {
        try
        {
            var date = due;
            var counted = 0;
            while (counted < workingDays)
            {
                date = date.AddDays(-1);
                if (calendar.IsWorkingDay(date)) counted++;
            }
            return date;
        }
        catch (CalendarMissingException)
        {
            return null;
        }
    }

    /// <summary>Working days from today to the due date (negative once it has passed), or null without a calendar.</summary>
    public static int? WorkingDaysLeft(WorkingDayCalendar calendar, DateOnly today, DateOnly due)
    {
        try
        {
            return calendar.WorkingDaysBetween(today, due);
        }
        catch (CalendarMissingException)
        {
            return null;
        }
    }

    /// <summary>At least two comments, and either the configured number or the configured share of all of them.</summary>
    public static bool IsWidelyRaised(int size, int total, AdoptionOptions options) =>
        size >= 2 && (size >= options.WidelyRaisedCount || (total > 0 && size >= options.WidelyRaisedShare * total));

    /// <summary>Everything but adoption needs a reason the public can read.</summary>
    public static bool NeedsReason(CommentOutcome outcome) => outcome != CommentOutcome.Adopted;

    /// <summary>A widely raised cluster blocks publication until it is adopted or has a reason for not adopting it.</summary>
    public static bool BlocksPublication(CommentOutcome? outcome, string? reason) =>
        outcome != CommentOutcome.Adopted && string.IsNullOrWhiteSpace(reason);

    public static bool IsOnTime(DateOnly publishedOn, DateOnly? due) => due is { } d && publishedOn <= d;

    /// <summary>A comment not answered yet: only ever seen in a preview, since publishing is refused while one is left.</summary>
    public const string Unanswered = "unanswered";

    public static string Code(CommentOutcome outcome) => outcome switch
    {
        CommentOutcome.Adopted => "adopted",
        CommentOutcome.PartlyAdopted => "partly-adopted",
        CommentOutcome.NotAdopted => "not-adopted",
        CommentOutcome.OutOfScope => "out-of-scope",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    /// <summary>An outcome from a form or a request: the public codes, or the enum's own names.</summary>
    public static bool TryParseOutcome(string? value, out CommentOutcome outcome)
    {
        foreach (var candidate in Enum.GetValues<CommentOutcome>())
        {
            if (string.Equals(value, Code(candidate), StringComparison.OrdinalIgnoreCase)
                || string.Equals(value, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                outcome = candidate;
                return true;
            }
        }
        outcome = default;
        return false;
    }

    public static string Code(CommentChannel channel) => channel switch
    {
        CommentChannel.Online => "online",
        CommentChannel.Forum => "forum",
        CommentChannel.Hearing => "hearing",
        CommentChannel.FieldVisit => "field-visit",
        CommentChannel.Poll => "poll",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };
}
