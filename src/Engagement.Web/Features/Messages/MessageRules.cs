using Engagement.Web.Features.Calendar;
using Engagement.Web.Platform.Time;

namespace Engagement.Web.Features.Messages;

/// <summary>A due date, or the year whose working-day calendar is missing so it cannot be computed.</summary>
public sealed record MessageDeadline(DateOnly? DueOn, int? MissingYear);

/// <summary>The rules of online messages (2022 §三(一)): length, the reply deadline, what counts as on time.</summary>
public static class MessageRules
{
    public const int MaxLength = 1000;
    public const int MaxReplyLength = 4000;
    public const int MaxNoteLength = 1000;
    public const int SimpleReplyWorkingDays = 1;
    public const int ReplyWorkingDays = 5;
    public const string GeneralBoard = "/messages";

    public static int WorkingDaysAllowed(bool simple) => simple ? SimpleReplyWorkingDays : ReplyWorkingDays;

    /// <summary>
    /// Due 1 working day (simple) or 5 working days after the day the message arrived, in Shanghai: counting starts
    /// the next day, so a simple question left on Friday evening before a holiday is due on the first working day after.
    /// </summary>
    public static MessageDeadline DueOn(WorkingDayCalendar calendar, DateTimeOffset receivedAt, bool simple)
    {
        try
        {
            return new MessageDeadline(calendar.AddWorkingDays(ChinaTime.DateOf(receivedAt), WorkingDaysAllowed(simple)), null);
        }
        catch (CalendarMissingException missing)
        {
            return new MessageDeadline(null, missing.Year);
        }
    }

    /// <summary>Working days the reply took (0 when answered the day it arrived); null when a calendar year is missing.</summary>
    public static int? WorkingDaysTaken(WorkingDayCalendar calendar, DateTimeOffset receivedAt, DateTimeOffset repliedAt)
    {
        try
        {
            return Math.Max(0, calendar.WorkingDaysBetween(ChinaTime.DateOf(receivedAt), ChinaTime.DateOf(repliedAt)));
        }
        catch (CalendarMissingException)
        {
            return null;
        }
    }

    public static bool IsOnTime(DateTimeOffset repliedAt, DateOnly? dueOn) => dueOn is { } due && ChinaTime.DateOf(repliedAt) <= due;

    public static bool IsOverdue(DateOnly today, DateOnly? dueOn) => dueOn is { } due && today > due;

    /// <summary>The median of whole working days, as the statistics page shows it (null for none).</summary>
    public static double? Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return null;
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}
