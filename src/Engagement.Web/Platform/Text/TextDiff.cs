namespace Engagement.Web.Platform.Text;

public enum DiffKind { Same, Removed, Added }

public sealed record DiffLine(DiffKind Kind, string Text);

/// <summary>What changed between two versions of a document, line by line (longest common subsequence).</summary>
public static class TextDiff
{
    /// <summary>
    /// Anyone can ask for a diff, so the table is bounded (8 MB): lines common to both ends are set aside first, and a
    /// middle still larger than this is shown as removed and added whole.
    /// </summary>
    public const int MaxCells = 2_000_000;

    public static IReadOnlyList<DiffLine> Lines(string before, string after)
    {
        var allA = Split(before);
        var allB = Split(after);
        var prefix = 0;
        while (prefix < allA.Length && prefix < allB.Length && allA[prefix] == allB[prefix]) prefix++;
        var suffix = 0;
        while (suffix < allA.Length - prefix && suffix < allB.Length - prefix && allA[^(suffix + 1)] == allB[^(suffix + 1)]) suffix++;
        var head = allA[..prefix].Select(l => new DiffLine(DiffKind.Same, l));
        var tail = allA[(allA.Length - suffix)..].Select(l => new DiffLine(DiffKind.Same, l));
        return [.. head, .. Middle(allA[prefix..(allA.Length - suffix)], allB[prefix..(allB.Length - suffix)]), .. tail];
    }

    private static IReadOnlyList<DiffLine> Middle(string[] a, string[] b)
    {
        if ((long)(a.Length + 1) * (b.Length + 1) > MaxCells)
        {
            return [.. a.Select(l => new DiffLine(DiffKind.Removed, l)), .. b.Select(l => new DiffLine(DiffKind.Added, l))];
        }
        // lengths[i, j]: the longest common subsequence of a[i..] and b[j..].
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }
        var result = new List<DiffLine>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y]) { result.Add(new DiffLine(DiffKind.Same, a[x])); x++; y++; }
            else if (lengths[x + 1, y] >= lengths[x, y + 1]) result.Add(new DiffLine(DiffKind.Removed, a[x++]));
            else result.Add(new DiffLine(DiffKind.Added, b[y++]));
        }
        while (x < a.Length) result.Add(new DiffLine(DiffKind.Removed, a[x++]));
        while (y < b.Length) result.Add(new DiffLine(DiffKind.Added, b[y++]));
        return result;
    }

    private static string[] Split(string text) =>
        text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
}
