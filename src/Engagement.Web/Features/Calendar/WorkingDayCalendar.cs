namespace Engagement.Web.Features.Calendar;

/// <summary>One published year of the State Council's holiday notice: the days that differ from the ordinary week.</summary>
public sealed record HolidayYear(int Year, IReadOnlyList<string> Papers, IReadOnlyList<HolidayDay> Days);

/// <summary><c>IsOffDay</c> true: a holiday or a weekday given off; false: a Saturday or Sunday made a working day (调休).</summary>
public sealed record HolidayDay(DateOnly Date, string Name, bool IsOffDay);

/// <summary>A computation needed a year whose State Council notice is not loaded; it never guesses.</summary>
public sealed class CalendarMissingException(int year)
    : Exception($"The working-day calendar for {year} is not loaded, so working days in {year} cannot be counted.")
{
    public int Year { get; } = year;
}

/// <summary>
/// The working-day rule of mainland China (DOMAIN.md, "Working days"): Monday to Friday work, Saturday and
/// Sunday rest, except the dates the yearly notice lists. A date in year Y can be judged only when Y's notice is
/// loaded; dates listed in a neighbouring year's file (2023.json starts with 2022-12-31) still count.
/// </summary>
public sealed class WorkingDayCalendar
{
    /// <summary>The longest deadline accepted: a statutory deadline in working days is never near ten years.</summary>
    public const int MaxDays = 2500;

    private readonly Dictionary<DateOnly, HolidayDay> _exceptions = new();
    private readonly SortedSet<int> _years = new();

    public WorkingDayCalendar(IEnumerable<HolidayYear> years)
    {
        // A later notice wins over an earlier one for the same date: it is the newer official word.
        foreach (var year in years.OrderBy(y => y.Year))
        {
            _years.Add(year.Year);
            foreach (var day in year.Days)
            {
                _exceptions[day.Date] = day;
            }
        }
    }

    public IReadOnlyCollection<int> Years => _years;

    public bool HasYear(int year) => _years.Contains(year);

    public bool IsWorkingDay(DateOnly date)
    {
        EnsureYear(date.Year);
        if (_exceptions.TryGetValue(date, out var day))
        {
            return !day.IsOffDay;
        }
        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>The holiday or make-up day listed for a date, if any (for showing why a day is special).</summary>
    public HolidayDay? Special(DateOnly date) => _exceptions.GetValueOrDefault(date);

    /// <summary>
    /// The last day of a period of <paramref name="days"/> working days after <paramref name="from"/>:
    /// counting starts the day after the event, and the Nth working day is the deadline.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly from, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        EnsureYear(from.Year);
        var date = from;
        var counted = 0;
        while (counted < days)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                counted++;
            }
        }
        return date;
    }

    /// <summary>
    /// Working days after <paramref name="from"/> up to and including <paramref name="to"/>; negative when
    /// <paramref name="to"/> is earlier (so "working days left" can go below zero once a deadline has passed).
    /// </summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            return -WorkingDaysBetween(to, from);
        }
        EnsureYear(from.Year);
        var count = 0;
        for (var date = from.AddDays(1); date <= to; date = date.AddDays(1))
        {
            if (IsWorkingDay(date))
            {
                count++;
            }
        }
        return count;
    }

    private void EnsureYear(int year)
    {
        if (!_years.Contains(year))
        {
            throw new CalendarMissingException(year);
        }
    }
}
