using System.Text.RegularExpressions;

namespace Engagement.Web.Platform.Privacy;

/// <summary>
/// A mainland mobile number as people write it (136-6182-7394, 136 6182 7394, １３６６１８２７３９４, +86 136…,
/// (136)61827394) read as the 11 digits it is; anything else stays as written, to be refused with a reason.
/// </summary>
public static partial class MobileNumber
{
    public static string Normalise(string? written)
    {
        var digits = Separators().Replace(PersonalDataMasker.ToHalfWidth(written ?? "").Trim(), "");
        if (digits.StartsWith("+86", StringComparison.Ordinal)) digits = digits[3..];
        else if (digits.StartsWith("0086", StringComparison.Ordinal)) digits = digits[4..];
        else if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal)) digits = digits[2..];
        return digits;
    }

    public static bool IsValid(string normalised) => Mobile().IsMatch(normalised);

    [GeneratedRegex(@"[\s\-‐‑–—.·()（）]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex Mobile();
}
