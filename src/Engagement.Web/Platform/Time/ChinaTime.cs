namespace Engagement.Web.Platform.Time;

/// <summary>
/// China Standard Time (Asia/Shanghai), whatever the server's own time zone: instants are stored in UTC and
/// shown, and legal dates are taken, in this zone.
/// </summary>
public static class ChinaTime
{
    public static readonly TimeZoneInfo Zone = FindZone();

    public static DateTimeOffset ToChina(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>A date a person could mean (years 2000-2100): a typo such as 0202 must not reach instant arithmetic.</summary>
    public static bool IsPlausible(DateTime? value) => value is { Year: >= 2000 and <= 2100 };

    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());

    /// <summary>The date in Shanghai of an instant (an arrival, a closing time).</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToChina(instant).DateTime);

    /// <summary>The UTC instant of a wall-clock time in Shanghai.</summary>
    public static DateTimeOffset FromChina(DateTime local) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone.GetUtcOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified)));

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // A machine without tzdata: China has kept UTC+8 without daylight saving since 1991.
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
        }
    }
}
