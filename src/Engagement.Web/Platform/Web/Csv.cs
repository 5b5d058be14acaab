namespace Engagement.Web.Platform.Web;

/// <summary>CSV for spreadsheets people open: every cell quoted; a leading = + - @ is neutralised so text is never run as a formula.</summary>
public static class Csv
{
    public static string Cell(string? value)
    {
        if (value is null) return "";
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0])) value = "'" + value;
        return "\"" + value.Replace("\"", "\"\"") + "\"";
    }
}
