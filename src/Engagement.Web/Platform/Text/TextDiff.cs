namespace Engagement.Web.Platform.Text;

public enum DiffKind { Same, Removed, Added }

public sealed record DiffLine(DiffKind Kind, string Text);

/// <summary>What changed between two versions of a document, line by line (longest common subsequence).</summary>
public static class TextDiff
{
    /// <summary>Documents are at most a few thousand lines; beyond this the table would be too large, so the change is shown whole.</summary>
    public const int MaxCells = 25_000_000;

    public static IReadOnlyList<DiffLine> Lines(string before, string after)
    {
        var a = Split(before);
        var b = Split(after);
        if ((long)a.Length * b.Length > MaxCells)
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
