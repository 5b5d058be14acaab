using System.Security.Cryptography;
using System.Text;

namespace Engagement.Web.Features.Meetings;

/// <summary>Who applies to sit in as a public representative (2023 task 43 favours the first two with reserved seats).</summary>
public enum ApplicantCategory { Resident, SmallBusiness, Enterprise, Expert, Other }

/// <summary>An eligible application as the public sees it: its public id and category, nothing personal.</summary>
public sealed record DrawApplicant(string PublicId, ApplicantCategory Category);

/// <summary>Seats held for one category, filled before the general seats, in the order the quotas are listed.</summary>
public sealed record DrawQuota(ApplicantCategory Category, int Seats);

/// <summary>A selected applicant and the seat they hold: a reserved seat of a category, or a general seat (null).</summary>
public sealed record DrawSeat(string PublicId, ApplicantCategory? ReservedFor);

public sealed record DrawOutcome(IReadOnlyList<string> Ranking, IReadOnlyList<DrawSeat> Selected, IReadOnlyList<string> Waitlist);

/// <summary>
/// The draw of public representatives, reproducible by anyone from public data alone (docs/SELECTION.md):
/// the fingerprint of the frozen eligible list, the ranking by SHA-256 of seed and public id, reserved seats first,
/// then general seats, everyone else on the waitlist in ranking order. No database, no clock, no randomness of ours.
/// </summary>
public static class RepresentativeDraw
{
    public static string Code(ApplicantCategory category) => category switch
    {
        ApplicantCategory.Resident => "resident",
        ApplicantCategory.SmallBusiness => "small-business",
        ApplicantCategory.Enterprise => "enterprise",
        ApplicantCategory.Expert => "expert",
        ApplicantCategory.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    public static bool TryParseCategory(string? value, out ApplicantCategory category)
    {
        foreach (var candidate in Enum.GetValues<ApplicantCategory>())
        {
            if (string.Equals(value, Code(candidate), StringComparison.OrdinalIgnoreCase)
                || string.Equals(value, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                category = candidate;
                return true;
            }
        }
        category = default;
        return false;
    }

    /// <summary>Lowercase hex SHA-256 of one line <c>publicId,category\n</c> per eligible application, sorted by public id (ordinal).</summary>
    public static string ApplicationsHash(IEnumerable<DrawApplicant> eligible)
    {
        var text = new StringBuilder();
        foreach (var applicant in eligible.OrderBy(a => a.PublicId, StringComparer.Ordinal))
        {
            text.Append(applicant.PublicId).Append(',').Append(Code(applicant.Category)).Append('\n');
        }
        return Sha256Hex(text.ToString());
    }

    /// <summary>An application's score: lowercase hex SHA-256 of <c>seed + "\n" + publicId</c>.</summary>
    public static string Score(string seed, string publicId) => Sha256Hex(seed + "\n" + publicId);

    public static DrawOutcome Run(string seed, IReadOnlyList<DrawApplicant> applicants, int seats, IReadOnlyList<DrawQuota> quotas)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seats);
        var ranked = applicants
            .Select(a => (Applicant: a, Score: Score(seed, a.PublicId)))
            .OrderBy(a => a.Score, StringComparer.Ordinal)
            .ThenBy(a => a.Applicant.PublicId, StringComparer.Ordinal)
            .Select(a => a.Applicant)
            .ToList();
        var selected = new List<DrawSeat>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var quota in quotas)
        {
            var room = Math.Min(quota.Seats, seats - selected.Count);
            foreach (var applicant in ranked.Where(a => a.Category == quota.Category && !taken.Contains(a.PublicId)).Take(Math.Max(0, room)))
            {
                selected.Add(new DrawSeat(applicant.PublicId, quota.Category));
                taken.Add(applicant.PublicId);
            }
        }
        // Reserved seats a category could not fill become general seats.
        foreach (var applicant in ranked.Where(a => !taken.Contains(a.PublicId)).Take(Math.Max(0, seats - selected.Count)).ToList())
        {
            selected.Add(new DrawSeat(applicant.PublicId, null));
            taken.Add(applicant.PublicId);
        }
        return new DrawOutcome(ranked.Select(a => a.PublicId).ToList(), selected, ranked.Where(a => !taken.Contains(a.PublicId)).Select(a => a.PublicId).ToList());
    }

    /// <summary>
    /// Who takes a seat given up: for a reserved seat, the first on the waitlist of the same category, else (or for a
    /// general seat) the first on the waitlist. Null when the waitlist is empty.
    /// </summary>
    public static DrawApplicant? Successor(DrawSeat vacated, IReadOnlyList<DrawApplicant> waitlist) =>
        (vacated.ReservedFor is { } category ? waitlist.FirstOrDefault(a => a.Category == category) : null) ?? waitlist.FirstOrDefault();

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
