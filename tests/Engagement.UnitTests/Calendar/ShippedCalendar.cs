using Engagement.Web.Features.Calendar;

namespace Engagement.UnitTests.Calendar;

/// <summary>The State Council files shipped with the platform, read the way the site reads them.</summary>
internal static class ShippedCalendar
{
    private const string Prefix = "Engagement.Calendar.Seed.";

    public static string Json(int year)
    {
        var assembly = typeof(WorkingDayCalendar).Assembly;
        using var stream = assembly.GetManifestResourceStream($"{Prefix}{year}.json")
            ?? throw new InvalidOperationException($"No shipped calendar for {year}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static HolidayYear Year(int year)
    {
        var parsed = HolidayCalendarFile.Parse(Json(year), year);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Messages));
        return parsed.Year!;
    }

    /// <summary>2022 to 2026, as published; 2027 is not out yet.</summary>
    public static WorkingDayCalendar Load() => new(Enumerable.Range(2022, 5).Select(Year));
}
