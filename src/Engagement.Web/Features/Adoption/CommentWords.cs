using System.Text;
using JiebaNet.Segmenter;

namespace Engagement.Web.Features.Adoption;

/// <summary>
/// Cuts a comment into words with jieba (its dictionary, the HMM for words it does not know, and our user dictionary
/// of government and Shanghai terms in Lexicon/userdict.txt, so 加装电梯, 一网通办 and 居委会 stay whole), and leaves
/// out the words that say how something is asked rather than what (Lexicon/stopwords.txt).
/// </summary>
public static class CommentWords
{
    // One load at a time: jieba's word dictionary is one static instance, and AddWord is not safe from two threads.
    private static readonly Lazy<JiebaSegmenter> Segmenter = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<HashSet<string>> StopWords = new(() =>
        [.. Lexicon.ReadResource("stopwords.txt").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))]);

    /// <summary>Loads the dictionaries now (about a second) rather than on the first clustering, and checks jieba's own dictionary is there.</summary>
    public static void Warm()
    {
        // 居民 is in jieba's dictionary, not ours: an empty or missing dict.txt would cut it in two.
        if (!Segmenter.Value.Cut("社区居民").Contains("居民")) throw new InvalidOperationException("jieba's dictionary (Resources/dict.txt) is missing or empty.");
    }

    /// <summary>Whether a word is left out as a stop word (also when a lexicon group's first word is one: 阿拉 reads as 我们).</summary>
    public static bool IsStopWord(string word) => StopWords.Value.Contains(word);

    /// <summary>A word as the segmenter sees it (half-width, lower case, digits as 0), so data files match the text.</summary>
    public static string Normalize(string word) => Prepare(word).Trim();

    /// <summary>
    /// The content words of a text in order: half-width, lower case, every number read as 0, punctuation and stop
    /// words left out. Single characters are kept only when they carry meaning alone (贵, 吵, 臭, 远).
    /// </summary>
    public static List<string> Of(string text)
    {
        var words = new List<string>();
        foreach (var raw in Segmenter.Value.Cut(Prepare(text), cutAll: false, hmm: true))
        {
            var word = raw.Trim();
            if (word.Length == 0 || !word.Any(char.IsLetterOrDigit)) continue;
            if (word.All(c => c == '0')) continue;
            if (StopWords.Value.Contains(word)) continue;
            words.Add(word);
        }
        return words;
    }

    private static string Prepare(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var raw in text)
        {
            var c = raw switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(raw - 0xFEE0),
                '\u3000' => ' ',
                _ => raw,
            };
            builder.Append(char.IsDigit(c) ? '0' : char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    private static JiebaSegmenter Load()
    {
        var segmenter = new JiebaSegmenter();
        foreach (var line in Lexicon.ReadResource("userdict.txt").Split('\n'))
        {
            var fields = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0].StartsWith('#')) continue;
            segmenter.AddWord(Prepare(fields[0]), fields.Length > 1 && int.TryParse(fields[1], out var freq) ? freq : 1000, fields.Length > 2 ? fields[2] : null);
        }
        // Every expression of the lexicon is one word, so 放学接孩子 is found whole and read as its group.
        foreach (var word in Lexicon.Default.Words.Where(w => w.Length > 1 && !WordDictionary.Instance.ContainsWord(w)))
        {
            segmenter.AddWord(word, 1000, null);
        }
        return segmenter;
    }
}

/// <summary>Loads the segmenter's dictionaries in the background after start, so the first review page does not wait a second for them.</summary>
public sealed class CommentWordsWarmUp(ILogger<CommentWordsWarmUp> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            CommentWords.Warm();
        }
        catch (Exception e)
        {
            // Clustering then fails visibly where it is used (the review page); the rest of the site runs on.
            logger.LogError(e, "The word segmenter's dictionaries could not be loaded");
        }
    }, stoppingToken);
}
