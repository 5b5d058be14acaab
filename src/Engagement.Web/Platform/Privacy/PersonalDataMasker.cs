using System.Text;
using System.Text.RegularExpressions;

namespace Engagement.Web.Platform.Privacy;

public enum PersonalDataKind { IdCard, Mobile, Landline, Email, BankCard }

/// <summary>Where personal data was found in the original text, and what it was.</summary>
public sealed record PersonalDataSpan(int Start, int Length, PersonalDataKind Kind);

public sealed record MaskResult(string Original, string Masked, IReadOnlyList<PersonalDataSpan> Found)
{
    public bool HasPersonalData => Found.Count > 0;
}

/// <summary>
/// Finds and masks personal data before anything is public (2023 §八, 先审查、后公开): mainland ID card numbers
/// (check digit verified), mobile and landline numbers, e-mail addresses and bank card numbers (Luhn), written with
/// half-width or full-width characters. The one masking service: messages and live Q&amp;A use it too.
/// </summary>
public static partial class PersonalDataMasker
{
    public const char MaskChar = '*';

    public static MaskResult Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Detection runs on a copy without invisible format characters (soft hyphen, zero-width space and joiners,
        // direction marks: Unicode category Cf), which could otherwise split a number the eye reads whole, and with
        // full-width digits and letters made half-width. positions[i] is where the copy's character i sits in the original.
        var (plain, positions) = Visible(ToHalfWidth(text));
        var found = new List<PersonalDataSpan>();

        Collect(found, IdCard().Matches(plain), PersonalDataKind.IdCard, m => IsIdCardNumber(Digits(m.Value)));
        Collect(found, Email().Matches(plain), PersonalDataKind.Email, _ => true);
        Collect(found, BankCard().Matches(plain), PersonalDataKind.BankCard, m => Luhn(Digits(m.Value)));
        Collect(found, Mobile().Matches(plain), PersonalDataKind.Mobile, _ => true);
        Collect(found, Landline().Matches(plain), PersonalDataKind.Landline, _ => true);

        if (found.Count == 0) return new MaskResult(text, text, found);
        var masked = new StringBuilder(text);
        foreach (var span in found)
        {
            Apply(masked, plain, positions, span);
        }
        return new MaskResult(text, masked.ToString(), found
            .Select(f => new PersonalDataSpan(positions[f.Start], positions[f.Start + f.Length - 1] + 1 - positions[f.Start], f.Kind))
            .OrderBy(f => f.Start).ToList());
    }

    private static (string Plain, int[] Positions) Visible(string text)
    {
        var plain = new StringBuilder(text.Length);
        var positions = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.GetUnicodeCategory(text, i) == System.Globalization.UnicodeCategory.Format) continue;
            plain.Append(text[i]);
            positions.Add(i);
        }
        return (plain.ToString(), positions.ToArray());
    }

    /// <summary>Masks a span a moderator marked by hand (something the detector could not know, such as a name).</summary>
    public static string MaskRange(string text, int start, int length)
    {
        if (start < 0 || length <= 0 || start + length > text.Length) throw new ArgumentOutOfRangeException(nameof(start));
        var builder = new StringBuilder(text);
        for (var i = start; i < start + length; i++)
        {
            if (!char.IsWhiteSpace(builder[i])) builder[i] = MaskChar;
        }
        return builder.ToString();
    }

    private static void Collect(List<PersonalDataSpan> found, MatchCollection matches, PersonalDataKind kind, Func<Match, bool> valid)
    {
        foreach (Match match in matches)
        {
            if (!valid(match)) continue;
            // A span already claimed by a stronger detector (an ID number is also a long digit run) is not counted twice.
            if (found.Any(f => match.Index < f.Start + f.Length && f.Start < match.Index + match.Length)) continue;
            found.Add(new PersonalDataSpan(match.Index, match.Length, kind));
        }
    }

    /// <summary>Keeps what identifies nobody: a mobile's first 3 and last 4 digits (the usual 138****5678), an e-mail's domain.</summary>
    private static void Apply(StringBuilder masked, string plain, int[] positions, PersonalDataSpan span)
    {
        var digits = Enumerable.Range(span.Start, span.Length).Where(i => char.IsAsciiDigit(plain[i])).ToList();
        var keep = new HashSet<int>();
        switch (span.Kind)
        {
            case PersonalDataKind.Mobile:
                // The last eleven digits are the number; a +86 before them is no one's.
                var national = digits.Skip(digits.Count - 11).ToList();
                keep.UnionWith(digits.Take(digits.Count - 11));
                keep.UnionWith(national.Take(3));
                keep.UnionWith(national.Skip(7));
                break;
            case PersonalDataKind.Email:
                var at = plain.IndexOf('@', span.Start, span.Length);
                keep.UnionWith(Enumerable.Range(at, span.Start + span.Length - at));
                break;
        }
        for (var i = span.Start; i < span.Start + span.Length; i++)
        {
            // Separators stay, so the text still reads as "a number was here"; an e-mail's local part goes whole.
            var isPart = char.IsAsciiLetterOrDigit(plain[i]) || (span.Kind == PersonalDataKind.Email && plain[i] is '.' or '_' or '%' or '+' or '-');
            if (!keep.Contains(i) && isPart)
            {
                masked[positions[i]] = MaskChar;
            }
        }
    }

    public static bool IsIdCardNumber(string value)
    {
        if (value.Length != 18 || !value[..17].All(char.IsAsciiDigit)) return false;
        if (!DateOnly.TryParseExact(value.Substring(6, 8), "yyyyMMdd", out var birth) || birth.Year < 1900) return false;
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (value[i] - '0') * weights[i];
        return "10X98765432"[sum % 11] == char.ToUpperInvariant(value[17]);
    }

    public static bool Luhn(string digits)
    {
        if (digits.Length is < 12 or > 19) return false;
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        return sum % 10 == 0;
    }

    public static string ToHalfWidth(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (c is >= '\uFF01' and <= '\uFF5E') chars[i] = (char)(c - 0xFEE0);
            else if (c == '\u3000') chars[i] = ' ';
        }
        return new string(chars);
    }

    private static string Digits(string value) => new(value.Where(c => char.IsAsciiDigit(c) || c is 'X' or 'x').ToArray());

    // Letters around it do not hide it ("ID:11010519491231002X号"); the check digit keeps other digit runs out.
    [GeneratedRegex(@"(?<![0-9])\d{17}[\dXx](?![0-9])")]
    private static partial Regex IdCard();

    [GeneratedRegex(@"(?<![0-9])(?:\d{4}[ -]?){3}\d{4}(?:[ -]?\d{1,3})?(?![0-9])")]
    private static partial Regex BankCard();

    [GeneratedRegex(@"(?<![0-9+])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9])")]
    private static partial Regex Mobile();

    // With an area code (021-62345678, (021)6234 5678); a bare 8-digit number is too often an amount or a count.
    [GeneratedRegex(@"(?<![0-9])(?:\(0\d{2,3}\)|0\d{2,3})[ -]?\d{3,4}[ -]?\d{4}(?![0-9])")]
    private static partial Regex Landline();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();
}
