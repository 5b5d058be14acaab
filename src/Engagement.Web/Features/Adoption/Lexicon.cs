using System.Reflection;

namespace Engagement.Web.Features.Adoption;

/// <summary>
/// Groups of expressions residents use for the same thing (老人/老年人/长者/老同志, 租金/摊位费/管理费), each read as one
/// concept when comments are compared. The district-wide groups are data (Lexicon/synonyms.txt, its source in its
/// header); a unit's staff add groups they confirmed on the review page (<see cref="With"/>). A word sits in one group.
/// </summary>
public sealed class Lexicon
{
    private static readonly Lazy<Lexicon> Shared = new(() => Parse(ReadResource("synonyms.txt")));

    private readonly Dictionary<string, int> _groupOf;
    private readonly List<string> _canonical;

    private Lexicon(Dictionary<string, int> groupOf, List<string> canonical)
    {
        _groupOf = groupOf;
        _canonical = canonical;
    }

    /// <summary>The district-wide lexicon in Lexicon/synonyms.txt.</summary>
    public static Lexicon Default => Shared.Value;

    /// <summary>No equivalences at all (to measure what the lexicon adds).</summary>
    public static Lexicon Empty { get; } = new([], []);

    public int Groups => _canonical.Count;

    /// <summary>Every word the lexicon knows, so the segmenter keeps each one whole.</summary>
    public IEnumerable<string> Words => _groupOf.Keys;

    /// <summary>The group's first word standing for every word of its group, or null when the word is in none.</summary>
    public string? ConceptOf(string word) => _groupOf.TryGetValue(word, out var group) ? _canonical[group] : null;

    /// <summary>Whether two words already count as the same.</summary>
    public bool AreEquivalent(string a, string b) =>
        a == b || (_groupOf.TryGetValue(a, out var ga) && _groupOf.TryGetValue(b, out var gb) && ga == gb);

    /// <summary>
    /// This lexicon with more groups. A group that shares a word with an existing one joins it, so "摊位费 = 租金"
    /// confirmed by a unit joins the district's 租金 group rather than splitting it.
    /// </summary>
    public Lexicon With(IEnumerable<IReadOnlyCollection<string>> groups)
    {
        var groupOf = new Dictionary<string, int>(_groupOf);
        var canonical = new List<string>(_canonical);
        foreach (var raw in groups)
        {
            var words = raw.Select(CommentWords.Normalize).Where(w => w.Length > 0).Distinct().ToList();
            if (words.Count < 2) continue;
            var existing = words.Where(groupOf.ContainsKey).Select(w => groupOf[w]).Distinct().ToList();
            int target;
            if (existing.Count == 0)
            {
                target = canonical.Count;
                canonical.Add(words[0]);
            }
            else
            {
                target = existing.Min();
                foreach (var other in existing.Where(g => g != target))
                {
                    foreach (var word in groupOf.Where(p => p.Value == other).Select(p => p.Key).ToList()) groupOf[word] = target;
                }
            }
            foreach (var word in words) groupOf[word] = target;
        }
        return new Lexicon(groupOf, canonical);
    }

    /// <summary>One group a line, words split by spaces, the first the canonical one; "#" starts a comment.</summary>
    public static Lexicon Parse(string text)
    {
        var groups = new List<IReadOnlyCollection<string>>();
        foreach (var raw in text.Split('\n'))
        {
            var hash = raw.IndexOf('#');
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0) continue;
            groups.Add(line.Split([' ', '\t', '　'], StringSplitOptions.RemoveEmptyEntries));
        }
        return Empty.With(groups);
    }

    internal static string ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Engagement.Adoption.Lexicon." + name)
            ?? throw new InvalidOperationException($"The embedded resource Lexicon/{name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
