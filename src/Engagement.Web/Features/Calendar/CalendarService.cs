using System.Text.Json;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Engagement.Web.Features.Calendar;

public sealed record CalendarYearSummary(int Year, int Entries, int OffDays, int MakeUpDays, IReadOnlyList<string> Papers, DateTimeOffset LoadedAt, string LoadedBy);

/// <summary>
/// The one calendar service: loads the years from the database into a <see cref="WorkingDayCalendar"/> (cached,
/// dropped on every change) and takes new years' files from admins.
/// </summary>
public sealed class CalendarService(EngagementDbContext db, IMemoryCache cache, AuditWriter audit, TimeProvider clock)
{
    private const string CacheKey = "calendar:working-days";

    public async Task<WorkingDayCalendar> CurrentAsync(CancellationToken cancellationToken = default)
    {
        if (cache.TryGetValue(CacheKey, out WorkingDayCalendar? calendar) && calendar is not null)
        {
            return calendar;
        }
        var years = await db.CalendarYears.AsNoTracking().Select(y => y.Year).ToListAsync(cancellationToken);
        var days = await db.CalendarDays.AsNoTracking()
            .Select(d => new { d.Year, d.Date, d.Name, d.IsOffDay })
            .ToListAsync(cancellationToken);
        calendar = new WorkingDayCalendar(years.Select(year => new HolidayYear(year, [],
            days.Where(d => d.Year == year).Select(d => new HolidayDay(d.Date, d.Name, d.IsOffDay)).ToList())));
        // Another instance may load a year too: keep the copy short-lived.
        cache.Set(CacheKey, calendar, TimeSpan.FromMinutes(1));
        return calendar;
    }

    public async Task<IReadOnlyList<CalendarYearSummary>> YearsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.CalendarYears.AsNoTracking().OrderBy(y => y.Year)
            .Select(y => new
            {
                y.Year, y.Papers, y.LoadedAt, y.LoadedBy,
                Entries = y.Days.Count,
                Off = y.Days.Count(d => d.IsOffDay),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new CalendarYearSummary(r.Year, r.Entries, r.Off, r.Entries - r.Off,
            JsonSerializer.Deserialize<List<string>>(r.Papers) ?? [], r.LoadedAt, r.LoadedBy)).ToList();
    }

    public async Task<HolidayYear?> YearAsync(int year, CancellationToken cancellationToken = default)
    {
        var record = await db.CalendarYears.AsNoTracking().Include(y => y.Days).SingleOrDefaultAsync(y => y.Year == year, cancellationToken);
        return record is null ? null : ToYear(record);
    }

    /// <summary>From 1 November the next year's notice is due: say so while it is missing.</summary>
    public async Task<int?> NextYearMissingAsync(CancellationToken cancellationToken = default)
    {
        var today = ChinaTime.Today(clock);
        if (today.Month < 11) return null;
        var next = today.Year + 1;
        return await db.CalendarYears.AnyAsync(y => y.Year == next, cancellationToken) ? null : next;
    }

    /// <summary>Replaces a year whole with an uploaded file, or stores nothing and says which entries are wrong.</summary>
    public async Task<HolidayCalendarFile.Result> ReplaceYearAsync(int year, string json, string loadedBy, CancellationToken cancellationToken = default)
    {
        var parsed = HolidayCalendarFile.Parse(json, year);
        if (!parsed.IsValid) return parsed;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.CalendarYears.Include(y => y.Days).SingleOrDefaultAsync(y => y.Year == year, cancellationToken);
        object? before = null;
        if (existing is not null)
        {
            before = Summary(ToYear(existing));
            db.CalendarYears.Remove(existing);
            await db.SaveChangesAsync(cancellationToken);
        }
        db.CalendarYears.Add(ToRecord(parsed.Year!, loadedBy));
        audit.Record(existing is null ? "calendar.year.load" : "calendar.year.replace", "CalendarYear", year.ToString(), before, Summary(parsed.Year!));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.Remove(CacheKey);
        return parsed;
    }

    /// <summary>Loads the State Council files shipped with the platform for the years not loaded yet; never overwrites an admin's upload.</summary>
    public async Task SeedShippedYearsAsync(CancellationToken cancellationToken = default)
    {
        var loaded = (await db.CalendarYears.Select(y => y.Year).ToListAsync(cancellationToken)).ToHashSet();
        var assembly = typeof(CalendarService).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Engagement.Calendar.Seed.", StringComparison.Ordinal)).Order())
        {
            var year = int.Parse(Path.GetFileNameWithoutExtension(name)["Engagement.Calendar.Seed.".Length..]);
            if (loaded.Contains(year)) continue;
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var parsed = HolidayCalendarFile.Parse(await reader.ReadToEndAsync(cancellationToken), year);
            if (!parsed.IsValid)
            {
                throw new InvalidOperationException($"Shipped calendar {year} is invalid: {string.Join("; ", parsed.Messages)}");
            }
            // A year whose notice is not out yet ships as an empty file: it is not loaded, so deadlines in it say so.
            if (parsed.Year!.Papers.Count == 0 && parsed.Year.Days.Count == 0) continue;
            db.CalendarYears.Add(ToRecord(parsed.Year, "seed"));
        }
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(CacheKey);
    }

    private CalendarYearRecord ToRecord(HolidayYear year, string loadedBy) => new()
    {
        Year = year.Year,
        Papers = JsonSerializer.Serialize(year.Papers),
        LoadedAt = clock.GetUtcNow(),
        LoadedBy = loadedBy,
        Days = year.Days.Select(d => new CalendarDayRecord { Year = year.Year, Date = d.Date, Name = d.Name, IsOffDay = d.IsOffDay }).ToList(),
    };

    private static HolidayYear ToYear(CalendarYearRecord record) => new(record.Year,
        JsonSerializer.Deserialize<List<string>>(record.Papers) ?? [],
        record.Days.OrderBy(d => d.Date).Select(d => new HolidayDay(d.Date, d.Name, d.IsOffDay)).ToList());

    private static object Summary(HolidayYear year) => new
    {
        year.Year,
        year.Papers,
        Days = year.Days.Select(d => $"{d.Date:yyyy-MM-dd} {d.Name} {(d.IsOffDay ? "off" : "work")}").ToList(),
    };
}
