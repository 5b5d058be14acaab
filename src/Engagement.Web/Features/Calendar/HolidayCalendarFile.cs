using System.Globalization;
using System.Text.Json;

namespace Engagement.Web.Features.Calendar;

/// <summary>
/// Reads one year's file in the holiday-cn format (shared/holidays/schema.json) and says exactly which entry is
/// wrong. A file is taken whole or not at all.
/// </summary>
public static class HolidayCalendarFile
{
    /// <summary>English texts of the error codes; the pages' texts are CalendarFile.{Code} in SharedResource.</summary>
    public static readonly IReadOnlyDictionary<string, string> English = new Dictionary<string, string>
    {
        ["NotJson"] = "The file is not valid JSON: {0}",
        ["NotObject"] = "The file must be a JSON object with \"year\", \"papers\" and \"days\".",
        ["YearMissing"] = "\"year\" is missing or is not a whole number.",
        ["YearMismatch"] = "\"year\" is {0} but the file was uploaded for {1}.",
        ["PapersMissing"] = "\"papers\" is missing or is not a list of addresses of the State Council notice.",
        ["PaperNotText"] = "papers[{0}] is not a text address.",
        ["DaysMissing"] = "\"days\" is missing or is not a list.",
        ["DayNotObject"] = "{0} is not an object with \"name\", \"date\" and \"isOffDay\".",
        ["NameInvalid"] = "{0}: \"name\" must be the holiday's name (1 to 50 characters).",
        ["OffDayInvalid"] = "{0}: \"isOffDay\" must be true or false.",
        ["DateInvalid"] = "{0}: \"date\" must be a date written YYYY-MM-DD.",
        ["DateOutside"] = "{0}: the date is not in {1} (only New Year's Day's break may begin in the last days of the December before).",
        ["DateTwice"] = "{0}: {1} is listed twice (first at days[{2}]).",
        ["MakeUpOnWeekday"] = "{0}: a make-up working day must be a Saturday or Sunday, but {1:yyyy-MM-dd} is a {1:dddd}.",
    };

    public const int MaxBytes = 256 * 1024;

    public sealed record Result(HolidayYear? Year, IReadOnlyList<CalendarFileError> Errors)
    {
        public bool IsValid => Year is not null && Errors.Count == 0;

        /// <summary>The errors in English, for the API and logs; pages show them in the person's language.</summary>
        public IReadOnlyList<string> Messages => Errors.Select(e => e.ToString()).ToList();
    }

    private static bool IsNewYear(string? name) => name is not null && (name.Contains("元旦") || name.Contains("New Year", StringComparison.OrdinalIgnoreCase));

    public static Result Parse(string json, int expectedYear)
    {
        var errors = new List<CalendarFileError>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            return new Result(null, [new("NotJson", ex.Message)]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new Result(null, [new("NotObject")]);
            }

            if (!root.TryGetProperty("year", out var yearElement) || yearElement.ValueKind != JsonValueKind.Number
                || !yearElement.TryGetInt32(out var year))
            {
                errors.Add(new("YearMissing"));
                year = expectedYear;
            }
            else if (year != expectedYear)
            {
                errors.Add(new("YearMismatch", year, expectedYear));
            }

            var papers = new List<string>();
            if (!root.TryGetProperty("papers", out var papersElement) || papersElement.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new("PapersMissing"));
            }
            else
            {
                var i = 0;
                foreach (var paper in papersElement.EnumerateArray())
                {
                    if (paper.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(paper.GetString()))
                    {
                        errors.Add(new("PaperNotText", i));
                    }
                    else
                    {
                        papers.Add(paper.GetString()!);
                    }
                    i++;
                }
            }

            var days = new List<HolidayDay>();
            if (!root.TryGetProperty("days", out var daysElement) || daysElement.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new("DaysMissing"));
            }
            else
            {
                var seen = new Dictionary<DateOnly, int>();
                var index = 0;
                foreach (var entry in daysElement.EnumerateArray())
                {
                    ReadDay(entry, index, expectedYear, seen, days, errors);
                    index++;
                }
            }

            return errors.Count == 0
                ? new Result(new HolidayYear(expectedYear, papers, days), errors)
                : new Result(null, errors);
        }
    }

    private static void ReadDay(JsonElement entry, int index, int year, Dictionary<DateOnly, int> seen,
        List<HolidayDay> days, List<CalendarFileError> errors)
    {
        var where = $"days[{index}]";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("DayNotObject", where));
            return;
        }

        string? name = entry.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        string? dateText = entry.TryGetProperty("date", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        bool? isOffDay = entry.TryGetProperty("isOffDay", out var o) && o.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? o.GetBoolean() : null;

        if (dateText is not null)
        {
            where += $" ({dateText})";
        }
        if (string.IsNullOrWhiteSpace(name) || name.Length > 50)
        {
            errors.Add(new("NameInvalid", where));
        }
        if (isOffDay is null)
        {
            errors.Add(new("OffDayInvalid", where));
        }
        if (dateText is null || !DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(new("DateInvalid", where));
            return;
        }
        // A year's notice arranges that year. The one exception the State Council makes: New Year's Day's break may
        // begin on the last days of the December before (2023's began on 31 December 2022).
        if (date.Year != year && !(date.Year == year - 1 && date.Month == 12 && date.Day >= 25 && IsNewYear(name)))
        {
            errors.Add(new("DateOutside", where, year));
            return;
        }
        if (seen.TryGetValue(date, out var first))
        {
            errors.Add(new("DateTwice", where, dateText, first));
            return;
        }
        seen[date] = index;
        if (isOffDay == false && date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
        {
            errors.Add(new("MakeUpOnWeekday", where, date.ToDateTime(TimeOnly.MinValue)));
            return;
        }
        if (name is not null && isOffDay is not null && errors.Count == 0)
        {
            days.Add(new HolidayDay(date, name.Trim(), isOffDay.Value));
        }
    }

    /// <summary>Writes a year back in the same holiday-cn format, so what was uploaded can be downloaded again.</summary>
    public static string Write(HolidayYear year) => JsonSerializer.Serialize(new
    {
        year = year.Year,
        papers = year.Papers,
        days = year.Days.OrderBy(d => d.Date).Select(d => new { name = d.Name, date = d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), isOffDay = d.IsOffDay }),
    }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}

/// <summary>One thing wrong in a calendar file: a code with its arguments (the entry, the date ...).</summary>
public sealed record CalendarFileError(string Code, params object[] Args)
{
    /// <summary>Formats the error with a text for its code, in the given culture.</summary>
    public string Format(string template, IFormatProvider culture) => string.Format(culture, template, Args);

    public override string ToString() => Format(HolidayCalendarFile.English[Code], System.Globalization.CultureInfo.InvariantCulture);
}
