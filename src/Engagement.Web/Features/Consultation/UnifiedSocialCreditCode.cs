namespace Engagement.Web.Features.Consultation;

/// <summary>
/// The 18-character unified social credit code of an enterprise or association (GB 32100-2015): characters from
/// 0-9 and the capitals without I, O, S, V and Z, the last one a check character over the first seventeen.
/// </summary>
public static class UnifiedSocialCreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static bool IsValid(string? code)
    {
        if (code is null) return false;
        code = code.Trim().ToUpperInvariant();
        if (code.Length != 18 || code.Any(c => Alphabet.IndexOf(c) < 0)) return false;
        return CheckCharacter(code[..17]) == code[17];
    }

    /// <summary>The check character for the first seventeen characters.</summary>
    public static char CheckCharacter(string first17)
    {
        if (first17.Length != 17) throw new ArgumentException("Seventeen characters are needed.", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = Alphabet.IndexOf(first17[i]);
            if (value < 0) throw new ArgumentException($"'{first17[i]}' is not allowed in a credit code.", nameof(first17));
            sum += value * Weights[i];
        }
        var check = 31 - sum % 31;
        return Alphabet[check == 31 ? 0 : check];
    }
}
