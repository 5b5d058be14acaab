using System.Text;
using System.Text.RegularExpressions;

namespace Engagement.Web.Platform.Privacy;

public enum PersonalDataKind { IdCard, Mobile, Landline, Email, BankCard, Passport, TravelPermit, Address }

/// <summary>Where personal data was found in the original text, and what it was.</summary>
public sealed record PersonalDataSpan(int Start, int Length, PersonalDataKind Kind);

/// <summary>A long number that is none of the known kinds: left as written, shown to the moderator to check.</summary>
public sealed record UnrecognisedNumber(int Start, int Length);

public sealed record MaskResult(string Original, string Masked, IReadOnlyList<PersonalDataSpan> Found)
{
    public bool HasPersonalData => Found.Count > 0;

    /// <summary>Digit runs of 9 or more that matched no kind, for the moderator (never masked: they may be a document number).</summary>
    public IReadOnlyList<UnrecognisedNumber> Unrecognised { get; init; } = [];
}

/// <summary>
/// Finds and masks personal data before anything is public (2023 §八, 先审查、后公开): mainland ID numbers (18 with
/// their check digit, and the old 15), mobiles (+86 / 0086), landlines (with an area code or after 电话/座机, with an
/// extension), e-mail addresses, bank cards (Luhn), passports, Hong Kong/Macao/Taiwan travel permits and a home
/// address's room (…号…室, masked to the building). The one masking service: every path that publishes or pushes
/// resident text calls it (docs/ARCHITECTURE.md lists them).
/// <para>
/// People write numbers as they say them, so detection runs on a normalised copy (<see cref="Normalised"/>): NFKC,
/// every Unicode decimal digit, Chinese numerals and 幺 as digits, separators between digits (spaces of any kind and
/// count, dots, hyphens, brackets, slashes) and invisible format characters dropped, full-width ＠ and 。 as @ and .,
/// "at"/"dot" spelled out. Each match is mapped back to the original, where only its personal characters are masked:
/// separators and everything around stay as written.
/// </para>
/// </summary>
public static partial class PersonalDataMasker
{
    public const char MaskChar = '*';

    public static MaskResult Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var norm = Normalised.Of(text);
        var plain = norm.Text;
        var found = new List<(int Start, int End, PersonalDataKind Kind)>();
        void Collect(Regex pattern, PersonalDataKind kind, Func<Match, bool>? valid = null, Func<Match, (int, int)>? part = null)
        {
            for (var match = pattern.Match(plain); match.Success; match = match.NextMatch())
            {
                if (valid is not null && !valid(match)) continue;
                var (start, end) = part?.Invoke(match) ?? (match.Index, match.Index + match.Length);
                // A span already claimed by a stronger kind (an ID number is also a long digit run) is not counted twice.
                if (found.Any(f => start < f.End && f.Start < end)) continue;
                found.Add((start, end, kind));
            }
        }
        Collect(IdCard(), PersonalDataKind.IdCard, m => IsIdCardNumber(m.Value));
        Collect(OldIdCard(), PersonalDataKind.IdCard);
        Collect(Email(), PersonalDataKind.Email);
        Collect(BankCard(), PersonalDataKind.BankCard, m => Luhn(m.Value));
        Collect(Mobile(), PersonalDataKind.Mobile);
        Collect(Landline(), PersonalDataKind.Landline);
        Collect(LocalLandline(), PersonalDataKind.Landline);
        Collect(Passport(), PersonalDataKind.Passport);
        Collect(TravelPermit(), PersonalDataKind.TravelPermit);
        Collect(Room(), PersonalDataKind.Address);

        var unrecognised = new List<UnrecognisedNumber>();
        for (var match = LongNumber().Match(plain); match.Success; match = match.NextMatch())
        {
            var (start, end) = (match.Index, match.Index + match.Length);
            if (found.Any(f => start < f.End && f.Start < end)) continue;
            unrecognised.Add(new UnrecognisedNumber(norm.Start[start], norm.End[end - 1] - norm.Start[start]));
        }
        if (found.Count == 0) return new MaskResult(text, text, []) { Unrecognised = unrecognised };

        var masked = text.ToCharArray();
        foreach (var (start, end, kind) in found)
        {
            foreach (var i in Personal(plain, start, end, kind))
            {
                for (var o = norm.Start[i]; o < norm.End[i]; o++) masked[o] = MaskChar;
            }
        }
        return new MaskResult(text, new string(masked), found
            .Select(f => new PersonalDataSpan(norm.Start[f.Start], norm.End[f.End - 1] - norm.Start[f.Start], f.Kind))
            .OrderBy(f => f.Start).ToList()) { Unrecognised = unrecognised };
    }

    /// <summary>
    /// The characters of a match that identify the person. What identifies nobody stays readable: a mobile's first 3
    /// and last 4 digits and its country code (the usual 138****5678), a landline's area code, an e-mail's domain, an
    /// address down to its building.
    /// </summary>
    private static IEnumerable<int> Personal(string plain, int start, int end, PersonalDataKind kind)
    {
        var digits = Enumerable.Range(start, end - start).Where(i => char.IsAsciiDigit(plain[i])).ToList();
        switch (kind)
        {
            case PersonalDataKind.Mobile:
                return digits.Skip(digits.Count - 11).Skip(3).Take(4);
            case PersonalDataKind.Landline:
                // 010 and 02x are three digits long, every other area code four; a number after 电话 has none.
                var area = plain[start] != '0' ? 0 : plain[start + 1] is '1' or '2' ? 3 : 4;
                return digits.Skip(area);
            case PersonalDataKind.Email:
                var local = start;
                while (local < end && IsLocalPart(plain[local])) local++;
                return Enumerable.Range(start, local - start);
            case PersonalDataKind.Address:
                return digits;
            default:
                return Enumerable.Range(start, end - start).Where(i => char.IsAsciiLetterOrDigit(plain[i]));
        }
    }

    private static bool IsLocalPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

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

    // 18 digits (the last may be X) with a valid date and check digit (IsIdCardNumber); letters around do not hide it.
    [GeneratedRegex(@"(?<![0-9])[1-8]\d{16}[\dXx](?![0-9])")]
    private static partial Regex IdCard();

    // The 15-digit form issued before 1999: region, a 19yy date written yyMMdd, three digits.
    [GeneratedRegex(@"(?<![0-9])[1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9])")]
    private static partial Regex OldIdCard();

    // UnionPay (62), Visa (4), Mastercard (5) and JCB/Amex (3) cards of 16 to 19 digits; a list of years starts with 2.
    [GeneratedRegex(@"(?<![0-9])[3-6]\d{15,18}(?![0-9])")]
    private static partial Regex BankCard();

    [GeneratedRegex(@"(?<![0-9])(?:(?:\+|00)?86)?1[3-9]\d{9}(?![0-9])")]
    private static partial Regex Mobile();

    // An area code (010, 02x: 8 digits follow; 0xxx: 7 or 8), then perhaps an extension (转801, ext 801, -801 joins the run).
    [GeneratedRegex(@"(?<![0-9])(?:0[12]\d\d{8}|0[3-9]\d{2}\d{7,8})(?:\d{1,5}|\s?(?:转|分机|ext\.?|x|#)\s?\d{1,5})?(?![0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex Landline();

    // Without an area code only after a word that says it is a phone number: a bare 8-digit number is too often an amount.
    [GeneratedRegex(@"(?<=(?:电话|座机|固话|联系|tel|phone)[:：号码是为]{0,4}\s?)[2-9]\d{7}(?:\s?(?:转|分机|ext\.?)\s?\d{1,5})?(?![0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex LocalLandline();

    // Spaces around @ are allowed, and "at"/"dot" spelled out; around a plain dot they are not, or every English
    // sentence ending in a word would look like a domain.
    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:\s*@\s*|\s*[(\[]at[)\]]\s*|\s+at\s+)[A-Za-z0-9-]+(?:(?:[.。]|\s*[(\[]dot[)\]]\s*|\s+dot\s+)[A-Za-z0-9-]+)*?(?:[.。]|\s*[(\[]dot[)\]]\s*|\s+dot\s+)[A-Za-z]{2,}(?![A-Za-z0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex Email();

    // E + 8 digits, E + a letter + 7 digits (the current booklets), G + 8 digits (older ones).
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:[EG]\d{8}|E[A-HJ-NP-Z]\d{7})(?![0-9])")]
    private static partial Regex Passport();

    // 往来港澳通行证 C/W, 往来台湾通行证 L/T, 回乡证 H/M (8 digits, or 10 on the older cards).
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:[CWLT]\d{8}|C[A-HJ-NP-Z]\d{7}|[HM]\d{8}(?:\d{2})?)(?![0-9])")]
    private static partial Regex TravelPermit();

    // A home address down to the room: the unit and room after a building (…5号1201室, 3号楼2单元502室) are masked,
    // the road, lane and building stay, so the comment still says where the problem is.
    [GeneratedRegex(@"(?<=\d(?:号楼|号|栋|幢|座|楼))(?:\d{1,2}单元)?\d{2,5}(?=室)")]
    private static partial Regex Room();

    [GeneratedRegex(@"(?<![0-9])\d{9,}(?![0-9])")]
    private static partial Regex LongNumber();
}
