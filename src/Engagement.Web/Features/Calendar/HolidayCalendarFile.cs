using System.Globalization;
using System.Text.Json;

namespace Engagement.Web.Features.Calendar;

/// <summary>
/// Reads one year's file in the holiday-cn format (shared/holidays/schema.json) and says exactly which entry is
/// wrong. A file is taken whole or not at all.
/// </summary>
public static class HolidayCalendarFile
{
    public const int MaxBytes = 256 * 1024;

    public sealed record Result(HolidayYear? Year, IReadOnlyList<string> Errors)
    {
        public bool IsValid => Year is not null && Errors.Count == 0;
    }

    public static Result Parse(string json, int expectedYear)
    {
        var errors = new List<string>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            return new Result(null, [$"The file is not valid JSON: {ex.Message}"]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new Result(null, ["The file must be a JSON object with \"year\", \"papers\" and \"days\"."]);
            }

            if (!root.TryGetProperty("year", out var yearElement) || yearElement.ValueKind != JsonValueKind.Number
                || !yearElement.TryGetInt32(out var year))
            {
                errors.Add("\"year\" is missing or is not a whole number.");
                year = expectedYear;
            }
            else if (year != expectedYear)
            {
                errors.Add($"\"year\" is {year} but the file was uploaded for {expectedYear}.");
            }

            var papers = new List<string>();
            if (!root.TryGetProperty("papers", out var papersElement) || papersElement.ValueKind != JsonValueKind.Array)
            {
                errors.Add("\"papers\" is missing or is not a list of addresses of the State Council notice.");
            }
            else
            {
                var i = 0;
                foreach (var paper in papersElement.EnumerateArray())
                {
                    if (paper.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(paper.GetString()))
                    {
                        errors.Add($"papers[{i}] is not a text address.");
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
                errors.Add("\"days\" is missing or is not a list.");
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
        List<HolidayDay> days, List<string> errors)
    {
        var where = $"days[{index}]";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where} is not an object with \"name\", \"date\" and \"isOffDay\".");
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
            errors.Add($"{where}: \"name\" must be the holiday's name (1 to 50 characters).");
        }
        if (isOffDay is null)
        {
            errors.Add($"{where}: \"isOffDay\" must be true or false.");
        }
        if (dateText is null || !DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add($"{where}: \"date\" must be a date written YYYY-MM-DD.");
            return;
        }
        if (date.Year < year - 1 || date.Year > year + 1)
        {
            errors.Add($"{where}: the date is outside {year} and its neighbouring years.");
            return;
        }
        if (seen.TryGetValue(date, out var first))
        {
            errors.Add($"{where}: {dateText} is listed twice (first at days[{first}]).");
            return;
        }
        seen[date] = index;
        if (isOffDay == false && date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
        {
            errors.Add($"{where}: a make-up working day must be a Saturday or Sunday, but {dateText} is a {date.DayOfWeek}.");
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
