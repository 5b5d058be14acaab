namespace Engagement.Web.Features.Adoption;

/// <summary>Two words staff's own moves suggest mean the same here, and in how many pairs of comments they saw it.</summary>
public sealed record EquivalenceSuggestion(IReadOnlyList<string> Words, int Support);

/// <summary>
/// Learns equivalent expressions from staff's corrections. When staff put two comments together that use different
/// words (one says 摊位费, the other 房钿), each comment's telling words that the other lacks are paired; a pair of
/// words seen across several such must-links is suggested, strongest first, unless the lexicon already equates them
/// or staff decided on it before. Nothing is learned until a person confirms it.
/// </summary>
public static partial class EquivalenceSuggestions
{
    /// <summary>Amounts and bounds (二十多元, 三个月, 以内) say how much, not what about: never suggested.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[0零〇一二三四五六七八九十百千万两几多半]+[元块岁个年月天次号楼层户人斤分钟点]*$|^(以内|以上|以下|左右|之内|之间|以后|以前|之前|之后)$")]
    private static partial System.Text.RegularExpressions.Regex Amount();

    /// <summary>How many of each comment's telling words (most used first) are paired.</summary>
    private const int WordsPerComment = 3;

    /// <summary>The stored form of a group: its words ordered, one space apart.</summary>
    public static string Key(IEnumerable<string> words) => string.Join(' ', words.Select(w => w.Trim()).Where(w => w.Length > 0).Distinct().Order(StringComparer.Ordinal));

    /// <param name="texts">The decision's comments by id.</param>
    /// <param name="mustLinks">Pairs of comment ids staff put together.</param>
    /// <param name="lexicon">The lexicon in force for the unit (district groups and the unit's confirmed ones).</param>
    /// <param name="decided">Keys (<see cref="Key"/>) staff already confirmed or dismissed.</param>
    public static IReadOnlyList<EquivalenceSuggestion> Suggest(IReadOnlyDictionary<long, string> texts, IEnumerable<(long A, long B)> mustLinks,
        Lexicon lexicon, IReadOnlySet<string> decided, int max = 8, int minimumSupport = 2)
    {
        var words = new Dictionary<long, HashSet<string>>();
        HashSet<string> WordsOf(long id) => words.TryGetValue(id, out var set) ? set
            : words[id] = texts.TryGetValue(id, out var text) ? CommentWords.Of(text).Where(w => w.Length > 1 && !Amount().IsMatch(w)).ToHashSet() : [];
        var pairs = mustLinks.Where(p => p.A != p.B && texts.ContainsKey(p.A) && texts.ContainsKey(p.B))
            .Select(p => p.A < p.B ? p : (p.B, p.A)).Distinct().ToList();
        if (pairs.Count == 0) return [];

        // How many of the decision's comments use a word: the rarer, the more it says what a comment is about.
        var frequency = new Dictionary<string, int>();
        foreach (var id in texts.Keys) foreach (var word in WordsOf(id)) frequency[word] = frequency.GetValueOrDefault(word) + 1;
        // A telling word is used by more than one resident (one person's turn of phrase is not a shared expression)
        // but by few of the decision's comments (not what every comment says); the more residents use it, the more it
        // names what they ask about.
        var common = Math.Max(4, texts.Count * 3 / 10);
        IEnumerable<string> Telling(HashSet<string> own, HashSet<string> other) => own
            .Where(w => frequency.GetValueOrDefault(w) is var f && f >= 2 && f <= common && !other.Any(o => lexicon.AreEquivalent(w, o)))
            .OrderByDescending(w => frequency.GetValueOrDefault(w)).ThenBy(w => w, StringComparer.Ordinal).Take(WordsPerComment);

        var support = new Dictionary<string, (string[] Words, int Count)>();
        foreach (var (a, b) in pairs)
        {
            var (wa, wb) = (WordsOf(a), WordsOf(b));
            foreach (var x in Telling(wa, wb))
            {
                foreach (var y in Telling(wb, wa))
                {
                    if (lexicon.AreEquivalent(x, y)) continue;
                    var key = Key([x, y]);
                    if (decided.Contains(key)) continue;
                    support[key] = support.TryGetValue(key, out var s) ? (s.Words, s.Count + 1) : (key.Split(' '), 1);
                }
            }
        }
        return support.Values.Where(s => s.Count >= minimumSupport && IsValid(s.Words))
            .OrderByDescending(s => s.Count).ThenBy(s => Key(s.Words), StringComparer.Ordinal)
            .Take(max).Select(s => new EquivalenceSuggestion(s.Words, s.Count)).ToList();
    }

    /// <summary>Checks a group staff send back: 2 to 8 words, each 1 to 20 characters without spaces, 200 at most in all.</summary>
    /// <remarks>Each must be one word to the segmenter and not a stop word, or it could never match a comment.</remarks>
    public static bool IsValid(IReadOnlyCollection<string?>? words) =>
        words is { Count: >= 2 and <= 8 }
        && words.All(w => w is not null && w.Trim().Length is >= 1 and <= 20 && !w.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            && CommentWords.Of(w) is [var only] && only == CommentWords.Normalize(w))
        && words.Select(w => w!.Trim()).Distinct().Count() == words.Count
        && Key(words!).Length <= 200;
}
