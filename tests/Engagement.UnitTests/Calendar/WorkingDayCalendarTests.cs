using Engagement.Web.Features.Calendar;

namespace Engagement.UnitTests.Calendar;

public sealed class WorkingDayCalendarTests
{
    private readonly WorkingDayCalendar _calendar = ShippedCalendar.Load();

    private static DateOnly D(string iso) => DateOnly.Parse(iso);

    [Theory]
    [InlineData("2026-11-23", true)]   // an ordinary Monday
    [InlineData("2026-11-22", false)]  // an ordinary Sunday
    [InlineData("2026-10-01", false)]  // National Day
    [InlineData("2026-10-07", false)]  // National Day week, a Wednesday
    [InlineData("2026-10-10", true)]   // make-up Saturday for National Day
    [InlineData("2026-09-20", true)]   // make-up Sunday
    [InlineData("2026-02-14", true)]   // make-up Saturday before Spring Festival
    [InlineData("2026-02-23", false)]  // last day of the Spring Festival holiday, a Monday
    [InlineData("2024-02-18", true)]   // make-up Sunday after Spring Festival 2024
    [InlineData("2022-12-31", false)]  // listed in the 2023 notice
    [InlineData("2023-01-02", false)]  // New Year's Day in lieu
    public void IsWorkingDay_follows_the_state_council_notice(string date, bool expected)
    {
        Assert.Equal(expected, _calendar.IsWorkingDay(D(date)));
    }

    [Theory]
    [InlineData("2022-09-30", 1, "2022-10-08")]  // National Day 2022, then a make-up Saturday
    [InlineData("2022-09-30", 10, "2022-10-19")]
    [InlineData("2023-01-20", 1, "2023-01-28")]  // Spring Festival 2023, then a make-up Saturday
    [InlineData("2024-02-08", 10, "2024-02-28")]  // across the 2024 Spring Festival and its make-up Sunday
    [InlineData("2024-02-09", 1, "2024-02-18")]
    [InlineData("2025-09-30", 1, "2025-10-09")]  // National Day and Mid-Autumn 2025
    [InlineData("2025-09-26", 5, "2025-10-10")]  // includes the make-up Sunday 28 September
    [InlineData("2026-09-30", 10, "2026-10-20")]  // includes the make-up Saturday 10 October
    [InlineData("2026-04-30", 10, "2026-05-18")]  // Labour Day 2026 and the make-up Saturday 9 May
    [InlineData("2026-02-12", 3, "2026-02-24")]
    public void DueDate_counts_from_the_next_day_and_ends_on_the_nth_working_day(string from, int days, string expected)
    {
        Assert.Equal(D(expected), _calendar.AddWorkingDays(D(from), days));
    }

    [Fact]
    public void DueDate_on_a_friday_plus_one_is_the_next_monday()
    {
        Assert.Equal(D("2026-11-23"), _calendar.AddWorkingDays(D("2026-11-20"), 1));
    }

    [Fact]
    public void DueDate_crosses_the_year_boundary_using_both_notices()
    {
        // 2022-12-31 (Saturday) is in the 2023 file, 2023-01-02 is New Year's Day in lieu.
        Assert.Equal(D("2023-01-03"), _calendar.AddWorkingDays(D("2022-12-30"), 1));
        // 2026-01-01..03 off, Sunday 4 January a make-up working day.
        Assert.Equal(D("2026-01-04"), _calendar.AddWorkingDays(D("2025-12-31"), 1));
    }

    [Fact]
    public void DueDate_that_reaches_a_year_without_a_notice_names_that_year()
    {
        var error = Assert.Throws<CalendarMissingException>(() => _calendar.AddWorkingDays(D("2026-12-25"), 10));
        Assert.Equal(2027, error.Year);
        Assert.Contains("2027", error.Message);
    }

    [Fact]
    public void DueDate_that_stays_inside_a_loaded_year_is_answered_even_when_the_next_is_missing()
    {
        Assert.Equal(D("2026-12-30"), _calendar.AddWorkingDays(D("2026-12-16"), 10));
    }

    [Theory]
    [InlineData("2021-12-20", 2021)]
    [InlineData("2027-03-01", 2027)]
    public void A_start_date_in_a_year_without_a_notice_is_refused(string from, int year)
    {
        var error = Assert.Throws<CalendarMissingException>(() => _calendar.AddWorkingDays(D(from), 1));
        Assert.Equal(year, error.Year);
        Assert.Throws<CalendarMissingException>(() => _calendar.IsWorkingDay(D(from)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(WorkingDayCalendar.MaxDays + 1)]
    public void DueDate_refuses_a_count_outside_the_allowed_range(int days)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _calendar.AddWorkingDays(D("2026-03-02"), days));
    }

    [Fact]
    public void WorkingDaysBetween_counts_after_the_start_up_to_and_including_the_end()
    {
        Assert.Equal(10, _calendar.WorkingDaysBetween(D("2026-09-30"), D("2026-10-20")));
        Assert.Equal(0, _calendar.WorkingDaysBetween(D("2026-10-01"), D("2026-10-07")));
        Assert.Equal(0, _calendar.WorkingDaysBetween(D("2026-11-23"), D("2026-11-23")));
    }

    [Fact]
    public void WorkingDaysBetween_is_negative_once_the_end_has_passed()
    {
        Assert.Equal(-10, _calendar.WorkingDaysBetween(D("2026-10-20"), D("2026-09-30")));
    }

    [Fact]
    public void WorkingDaysBetween_and_DueDate_agree()
    {
        var from = D("2025-01-01");
        foreach (var days in new[] { 1, 5, 10, 20, 120 })
        {
            Assert.Equal(days, _calendar.WorkingDaysBetween(from, _calendar.AddWorkingDays(from, days)));
        }
    }

    [Fact]
    public void A_year_has_the_official_number_of_working_days()
    {
        // 2026: 261 weekdays, 19 of them given off, and 6 make-up weekend days: 248 working days.
        var count = _calendar.WorkingDaysBetween(D("2025-12-31"), D("2026-12-31"));
        var year = ShippedCalendar.Year(2026);
        var weekdays = Enumerable.Range(0, 365).Select(i => D("2026-01-01").AddDays(i))
            .Count(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var weekdaysOff = year.Days.Count(d => d.IsOffDay && d.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var makeUp = year.Days.Count(d => !d.IsOffDay);
        Assert.Equal(weekdays - weekdaysOff + makeUp, count);
        Assert.Equal(248, count);
    }

    [Fact]
    public void A_later_notice_wins_for_a_date_listed_twice()
    {
        var first = new HolidayYear(2030, [], [new HolidayDay(D("2030-12-31"), "old", false)]);
        var second = new HolidayYear(2031, [], [new HolidayDay(D("2030-12-31"), "元旦", true)]);
        var calendar = new WorkingDayCalendar([second, first]);
        Assert.False(calendar.IsWorkingDay(D("2030-12-31")));
    }
}
