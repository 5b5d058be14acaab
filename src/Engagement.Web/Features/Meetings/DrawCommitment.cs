using System.Security.Cryptography;
using System.Text;

namespace Engagement.Web.Features.Meetings;

/// <summary>
/// A seed nobody can choose (docs/SELECTION.md): at the freeze the server commits to a random secret by publishing
/// <c>commitment = SHA-256(secret)</c>; after the announced lottery draw, its result is entered and the secret revealed;
/// the seed is <c>SHA-256(secret + "\n" + normalised result)</c>. The office cannot know the result at the freeze, and
/// the server fixed its secret before the result existed. No database, no clock: plain functions, tested densely.
/// </summary>
public static class DrawCommitment
{
    /// <summary>256 bits from the operating system's cryptographic generator, as 64 lowercase hex digits.</summary>
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lowercase hex SHA-256 of the secret's 64 hex characters (UTF-8).</summary>
    public static string Commit(string secret) => RepresentativeDraw.Sha256Hex(secret);

    /// <summary>The seed that ranks: lowercase hex SHA-256 of <c>secret + "\n" + normalisedResult</c>.</summary>
    public static string Seed(string secret, string normalisedResult) => RepresentativeDraw.Sha256Hex(secret + "\n" + normalisedResult);

    public static bool IsSecret(string? value) => value is { Length: 64 } && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>
    /// A lottery result however it was typed, as one canonical line: full-width digits read as digits, every run of
    /// digits is a number written without leading zeros, numbers joined by single spaces, everything else (colons,
    /// plus signs, commas, 期/红球/蓝球, spaces) dropped. <c>"2026142期：03 07 12 19 25 31 + 09"</c> and
    /// <c>"2026142: 3,7,12,19,25,31+9"</c> both give <c>"2026142 3 7 12 19 25 31 9"</c>. Null when it holds fewer than two
    /// numbers (a draw number and at least one drawn number), or a number longer than 20 digits.
    /// </summary>
    public static string? Normalise(string? result)
    {
        if (string.IsNullOrWhiteSpace(result)) return null;
        var numbers = new List<string>();
        var current = new StringBuilder();
        foreach (var raw in result + " ")
        {
            var c = raw is >= '０' and <= '９' ? (char)('0' + (raw - '０')) : raw;
            if (char.IsAsciiDigit(c))
            {
                current.Append(c);
                continue;
            }
            if (current.Length == 0) continue;
            if (current.Length > 20) return null;
            var number = current.ToString().TrimStart('0');
            numbers.Add(number.Length == 0 ? "0" : number);
            current.Clear();
        }
        return numbers.Count < 2 ? null : string.Join(' ', numbers);
    }

    /// <summary>The draw number a normalised result begins with.</summary>
    public static string DrawNumberOf(string normalisedResult) => normalisedResult.Split(' ')[0];
}
