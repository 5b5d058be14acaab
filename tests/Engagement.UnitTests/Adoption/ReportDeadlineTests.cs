using Engagement.UnitTests.Calendar;
using Engagement.Web.Features.Adoption;
using Engagement.Web.Features.Calendar;

namespace Engagement.UnitTests.Adoption;

public sealed class ReportDeadlineTests
{
    private static readonly WorkingDayCalendar Calendar = ShippedCalendar.Load();

    [Fact]
    public void DueDate_is_ten_working_days_after_issue_skipping_weekends()
    {
        // Monday 3 November 2025: two ordinary weeks later.
        Assert.Equal(new DateOnly(2025, 11, 17), AdoptionRules.DueDate(Calendar, new DateOnly(2025, 11, 3)).DueOn);
    }

    [Fact]
    public void DueDate_skips_national_day_and_counts_make_up_days()
    {
        // Issued Friday 26 September 2025: Sunday 28 Sep and Saturday 11 Oct are make-up working days, 1-8 Oct are off.
        var deadline = AdoptionRules.DueDate(Calendar, new DateOnly(2025, 9, 26));
        Assert.Equal(new DateOnly(2025, 10, 16), deadline.DueOn);
        Assert.Null(deadline.MissingYear);
    }

    [Fact]
    public void DueDate_is_unknown_with_the_missing_year_when_the_period_runs_into_it()
    {
        var only2025 = new WorkingDayCalendar([ShippedCalendar.Year(2025)]);
        var deadline = AdoptionRules.DueDate(only2025, new DateOnly(2025, 12, 24));
        Assert.False(deadline.IsKnown);
        Assert.Equal(2026, deadline.MissingYear);
    }

    [Theory]
    [InlineData("2025-10-16", "2025-10-13")]
    [InlineData("2025-10-14", "2025-10-10")] // counts Saturday 11 October, a make-up working day
    [InlineData("2025-10-09", "2025-09-28")] // back across the National Day holiday to Sunday 28 September, a make-up working day
    public void Reminder_falls_three_working_days_before_the_due_date(string due, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected), AdoptionRules.WorkingDaysBefore(Calendar, DateOnly.Parse(due), 3));
    }

    [Fact]
    public void Working_days_left_go_negative_once_overdue()
    {
        Assert.Equal(3, AdoptionRules.WorkingDaysLeft(Calendar, new DateOnly(2025, 10, 13), new DateOnly(2025, 10, 16)));
        Assert.Equal(-2, AdoptionRules.WorkingDaysLeft(Calendar, new DateOnly(2025, 10, 20), new DateOnly(2025, 10, 16)));
    }

    [Fact]
    public void Published_on_the_due_date_is_on_time_and_a_day_later_is_late()
    {
        var due = new DateOnly(2025, 10, 16);
        Assert.True(AdoptionRules.IsOnTime(due, due));
        Assert.False(AdoptionRules.IsOnTime(due.AddDays(1), due));
        Assert.False(AdoptionRules.IsOnTime(due, null));
    }
}
