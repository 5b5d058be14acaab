using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Engagement.Web.Features.Consultation;

/// <summary>The rules of a comment's text: length, cleaning, what counts as the same text.</summary>
public static partial class Comments
{
    public const int MaxLength = 2000;

    /// <summary>
    /// Removes what no reader needs and an attacker might use: control characters (but line breaks and tabs),
    /// bidirectional overrides and zero-width characters. Markup is kept as text: it is shown escaped.
    /// </summary>
    public static string Clean(string text) => Invisible().Replace(text.Replace("\r\n", "\n"), "").Trim();

    /// <summary>Two comments are the same when they differ only in spacing, width or case.</summary>
    public static string Hash(string text)
    {
        var normal = Spaces().Replace(Platform.Privacy.PersonalDataMasker.ToHalfWidth(Clean(text)).ToLowerInvariant(), " ");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)));
    }

    /// <summary>
    /// A comment waiting for moderation longer than one working day is overdue (reviewed promptly, 先审查、后公开):
    /// received on day r, it is overdue once the working day after r has passed.
    /// </summary>
    public static bool IsModerationOverdue(Calendar.WorkingDayCalendar calendar, DateTimeOffset createdAt, DateOnly today)
    {
        var received = Platform.Time.ChinaTime.DateOf(createdAt);
        try
        {
            return calendar.AddWorkingDays(received, 1) < today;
        }
        catch (Calendar.CalendarMissingException)
        {
            // Without a calendar, fall back to plain days rather than hide an old comment.
            return received.AddDays(1) < today;
        }
    }

    [GeneratedRegex(@"[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]")]
    private static partial Regex Invisible();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

/// <summary>A draft's numbered paragraphs: blocks separated by a blank line, numbered from 1 (comments can point at one).</summary>
public static class DraftParagraphs
{
    public static IReadOnlyList<string> Split(string markdown) =>
        markdown.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
