using Engagement.UnitTests.Calendar;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Features.Faq;
using Engagement.Web.Features.Messages;

namespace Engagement.UnitTests.Messages;

/// <summary>
/// Replies to online messages are due in 1 working day (simple) or 5 (2022 §三(一)), counted on the State Council's
/// calendar from the day after the message arrived in Shanghai.
/// </summary>
public sealed class MessageRulesTests
{
    private static readonly WorkingDayCalendar Calendar = ShippedCalendar.Load();

    /// <summary>An instant given as Shanghai wall-clock time.</summary>
    private static DateTimeOffset Shanghai(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Theory]
    // Wednesday 30 September 2026, before the National Day holiday (1-7 October off, Saturday 10 October worked).
    [InlineData(2026, 9, 30, 10, true, "2026-10-08")]
    [InlineData(2026, 9, 30, 10, false, "2026-10-13")]
    // Thursday 24 September evening, before the Mid-Autumn days off (25-27 September).
    [InlineData(2026, 9, 24, 20, true, "2026-09-28")]
    // Saturday 10 October is a make-up working day; the day after it is Sunday.
    [InlineData(2026, 10, 10, 9, true, "2026-10-12")]
    // Friday 13 February, before the Spring Festival: Saturday 14 February is worked, then 15-23 February are off.
    [InlineData(2026, 2, 13, 15, true, "2026-02-14")]
    [InlineData(2026, 2, 13, 15, false, "2026-02-27")]
    // An ordinary week: Monday 23 November.
    [InlineData(2026, 11, 23, 10, true, "2026-11-24")]
    [InlineData(2026, 11, 23, 10, false, "2026-11-30")]
    // New Year 2026: 1-3 January off, Sunday 4 January worked.
    [InlineData(2025, 12, 31, 18, true, "2026-01-04")]
    public void Due_dates_count_working_days_on_the_official_calendar(int year, int month, int day, int hour, bool simple, string due)
    {
        var deadline = MessageRules.DueOn(Calendar, Shanghai(year, month, day, hour), simple);
        Assert.Equal(DateOnly.Parse(due), deadline.DueOn);
        Assert.Null(deadline.MissingYear);
    }

    [Fact]
    public void The_arrival_day_is_the_day_in_Shanghai_not_in_UTC()
    {
        // 16:30 UTC on Thursday 19 November is 00:30 on Friday 20 November in Shanghai.
        var lateAtNight = new DateTimeOffset(2026, 11, 19, 16, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 11, 23), MessageRules.DueOn(Calendar, lateAtNight, simple: true).DueOn);
        var evening = new DateTimeOffset(2026, 11, 19, 15, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 11, 20), MessageRules.DueOn(Calendar, evening, simple: true).DueOn);
    }

    [Fact]
    public void A_deadline_in_a_year_without_a_calendar_is_unknown_and_names_the_year()
    {
        var deadline = MessageRules.DueOn(Calendar, Shanghai(2026, 12, 31, 10), simple: false);
        Assert.Null(deadline.DueOn);
        Assert.Equal(2027, deadline.MissingYear);
        Assert.Null(MessageRules.WorkingDaysTaken(Calendar, Shanghai(2026, 12, 31, 10), Shanghai(2027, 1, 5, 10)));
    }

    [Fact]
    public void Working_days_taken_skip_holidays_and_on_time_means_by_the_end_of_the_due_day()
    {
        var received = Shanghai(2026, 9, 30, 10);
        var replied = Shanghai(2026, 10, 9, 17);
        Assert.Equal(2, MessageRules.WorkingDaysTaken(Calendar, received, replied));
        Assert.Equal(0, MessageRules.WorkingDaysTaken(Calendar, received, received.AddHours(3)));
        Assert.True(MessageRules.IsOnTime(replied, MessageRules.DueOn(Calendar, received, simple: false).DueOn));
        Assert.False(MessageRules.IsOnTime(replied, MessageRules.DueOn(Calendar, received, simple: true).DueOn));
        // 23:59 in Shanghai on the due day is still on time; a minute past midnight is not.
        Assert.True(MessageRules.IsOnTime(Shanghai(2026, 10, 8, 23, 59), new DateOnly(2026, 10, 8)));
        Assert.False(MessageRules.IsOnTime(Shanghai(2026, 10, 9, 0, 1), new DateOnly(2026, 10, 8)));
        Assert.False(MessageRules.IsOnTime(replied, null));
    }

    [Fact]
    public void Overdue_starts_the_day_after_the_due_day()
    {
        Assert.False(MessageRules.IsOverdue(new DateOnly(2026, 11, 24), new DateOnly(2026, 11, 24)));
        Assert.True(MessageRules.IsOverdue(new DateOnly(2026, 11, 25), new DateOnly(2026, 11, 24)));
        Assert.False(MessageRules.IsOverdue(new DateOnly(2026, 11, 25), null));
    }

    [Theory]
    [InlineData(new int[0], null)]
    [InlineData(new[] { 3 }, 3.0)]
    [InlineData(new[] { 5, 1, 3 }, 3.0)]
    [InlineData(new[] { 4, 1, 2, 5 }, 3.0)]
    [InlineData(new[] { 0, 1 }, 0.5)]
    public void The_median_of_working_days(int[] values, double? median) => Assert.Equal(median, MessageRules.Median(values));

    [Fact]
    public void Questions_asked_often_on_a_page_are_gathered_and_counted_first()
    {
        var at = Shanghai(2026, 11, 20, 10);
        FaqCandidate Item(long id, string question, string? answer = null) => new("message", id, question, answer, at.AddMinutes(id), 1);
        var grouped = FaqGrouping.MostAskedFirst([
            Item(1, "社区食堂周末开不开？"),
            Item(2, "加装电梯的补贴是按台计算还是按户计算？", "按台计算。"),
            Item(3, "加装电梯补贴按台还是按户计算？"),
            Item(4, "请问加装电梯的补贴是按户计算吗？"),
        ]);
        Assert.Equal(3, grouped[0].AskedTimes);
        Assert.Equal(2, grouped[0].SourceId); // the answered one of the group first
        Assert.Equal([2L, 3L, 4L], grouped.Take(3).Select(g => g.SourceId).Order());
        Assert.Equal(1, grouped[3].AskedTimes);
        Assert.Empty(FaqGrouping.MostAskedFirst([]));
    }
}
