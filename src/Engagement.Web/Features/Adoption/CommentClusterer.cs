using System.Text;

namespace Engagement.Web.Features.Adoption;

/// <summary>One comment to cluster: its text and, when staff placed it by hand, the cluster they put it in.</summary>
public sealed record ClusterInput(string Text, int? PinnedCluster = null);

/// <summary>Where each input landed (an index into <see cref="Clusters"/>) and how close it is to its cluster's centre (0..1).</summary>
public sealed record ClusteringResult(IReadOnlyList<int> Assignment, IReadOnlyList<double> Centrality, IReadOnlyList<int?> Clusters);

/// <summary>How the groups of comments are joined into clusters (both measured in docs/PERFORMANCE.md).</summary>
public enum ClusteringMethod
{
    /// <summary>Average-linkage agglomerative clustering with a threshold.</summary>
    AverageLinkage,

    /// <summary>Connected parts of the mutual k-nearest-neighbour graph, strongest edges first.</summary>
    MutualNeighbours,
}

/// <summary>
/// What staff said about a decision's comments, by index into the inputs: pairs that belong together (must-link)
/// and pairs that do not (cannot-link). Cannot-link wins when the two disagree.
/// </summary>
public sealed record ClusterConstraints(IReadOnlyList<(int A, int B)> MustLink, IReadOnlyList<(int A, int B)> CannotLink)
{
    public static ClusterConstraints None { get; } = new([], []);
}

public sealed record ClusteringOptions
{
    public ClusteringMethod Method { get; init; } = ClusteringMethod.AverageLinkage;

    /// <summary>Compare words cut by jieba (with the lexicon's groups read as one concept) beside the characters.</summary>
    public bool UseWords { get; init; } = true;

    /// <summary>Equivalent expressions; null for the district's own (<see cref="Lexicon.Default"/>).</summary>
    public Lexicon? Lexicon { get; init; }

    /// <summary>Weight of the character features beside the words (1 = as much): they catch what segmentation misses.</summary>
    public double CharacterWeight { get; init; } = 0.25;

    /// <summary>Keep only a comment's this many strongest word features (0: all), so a long comment's side remarks do not drown what it asks.</summary>
    public int KeywordsPerComment { get; init; }

    /// <summary>Weight of a lexicon group's concept beside an ordinary word: the lexicon names what concerns are about.</summary>
    public double ConceptWeight { get; init; } = 1.0;

    /// <summary>For <see cref="ClusteringMethod.MutualNeighbours"/>: how many neighbours each group keeps.</summary>
    public int Neighbours { get; init; } = 4;

    /// <summary>Estimated Jaccard similarity of character 3-gram shingles above which two comments are near-duplicates.</summary>
    public double NearDuplicateJaccard { get; init; } = 0.5;

    /// <summary>Average pairwise cosine similarity (TF-IDF) two clusters need to be joined.</summary>
    public double LinkThreshold { get; init; } = 0.03;

    /// <summary>
    /// Added to the link threshold divided by the number of comments: with few comments the IDF cannot tell topic words
    /// from ordinary ones, so joining needs more evidence (5 comments: +0.1; 100: +0.005).
    /// </summary>
    public double SmallSetMargin { get; init; } = 0.5;

    /// <summary>Above this many items, a leader pass first folds them (exact linkage needs a square table).</summary>
    public int MaxLinkageItems { get; init; } = 2000;

    /// <summary>Cosine similarity a comment needs to a leader's centre in that first pass (loosened if still too many).</summary>
    public double PreGroupThreshold { get; init; } = 0.5;

    /// <summary>Leave out the bigrams every comment uses whatever it asks (建议, 希望, 我们 ...), which a decision's own IDF cannot tell from topic words.</summary>
    public bool DropCommonBigrams { get; init; } = true;

    /// <summary>Weight of single characters beside the bigrams (0 for bigrams only): short paraphrases share few bigrams.</summary>
    public double UnigramWeight { get; init; } = 1.0;
}

/// <summary>
/// Groups a decision's comments by what they ask for. Stage 1 joins what must go together: staff's must-links and
/// near-duplicates (MinHash over character 3-gram shingles, banded LSH, verified by signature agreement), never two
/// staff clusters or a cannot-link pair. Stage 2 weighs each comment's words (jieba, lexicon groups as one concept) and
/// characters by TF-IDF within the decision. Stage 3 makes items of the groups (a leader pass first when there are
/// thousands). Stage 4 joins items by average linkage (or, for comparison, the mutual nearest-neighbour graph) while
/// they reach <see cref="ClusteringOptions.LinkThreshold"/>. Comments staff pinned never move; new comments may join
/// staff clusters. docs/ARCHITECTURE.md explains the choices, docs/PERFORMANCE.md measures them.
/// </summary>
public sealed class CommentClusterer(ClusteringOptions? options = null)
{
    private const int Hashes = 64;
    private const int Bands = 16;
    private const int Rows = Hashes / Bands;
    /// <summary>
    /// Function words and the stock phrases of any comment on any draft: they say how something is asked, not what.
    /// Chosen by hand from general usage, not from the labelled test set.
    /// </summary>
    private static readonly HashSet<string> CommonBigrams =
    [
        "建议", "希望", "我们", "你们", "他们", "这个", "那个", "这些", "可以", "应该", "应当", "能够", "是否", "进行", "相关", "有关",
        "一下", "没有", "不是", "就是", "现在", "什么", "如果", "因为", "所以", "但是", "而且", "以及", "目前", "已经", "觉得", "认为",
        "非常", "比较", "一些", "一个", "还是", "或者", "问题", "情况", "方面", "工作", "政府", "部门", "办法", "规定", "意见", "条款",
        "征求", "求意", "见稿", "本区", "区里", "长宁", "宁区", "我家", "家里", "大家", "自己", "同时", "另外", "此外", "其中", "考虑",
        "谢谢", "感谢", "请问", "能否", "不能", "不要", "需要", "要求", "提出", "提高", "增加", "加强", "完善", "明确", "的话", "了吧",
    ];

    /// <summary>Characters that carry grammar, not content; left out of the single-character features.</summary>
    private static readonly HashSet<char> CommonCharacters =
    [
        .. "的了是在我们你他她它这那有和与及或也都就还要会能可对把被给让为于以之其而但如果因所很太更最再又吗呢吧啊呀哦么个些点一不没无将已从到向由着过来去上下中里外多少好大小建议希望请应该",
    ];

    private static readonly ulong[] Seeds = Enumerable.Range(0, Hashes).Select(i => SplitMix((ulong)i * 0x9E3779B97F4A7C15UL + 12345)).ToArray();

    private readonly ClusteringOptions _options = options ?? new ClusteringOptions();

    public ClusteringResult Cluster(IReadOnlyList<ClusterInput> inputs, ClusterConstraints? constraints = null)
    {
        var n = inputs.Count;
        if (n == 0) return new ClusteringResult([], [], []);
        constraints ??= ClusterConstraints.None;
        var normalized = inputs.Select(i => Normalize(i.Text)).ToArray();
        var cannot = new Dictionary<int, List<int>>();
        foreach (var (a, b) in constraints.CannotLink.Where(p => Valid(p, n) && p.A != p.B))
        {
            (cannot.TryGetValue(a, out var la) ? la : cannot[a] = []).Add(b);
            (cannot.TryGetValue(b, out var lb) ? lb : cannot[b] = []).Add(a);
        }

        // Stage 1: what must go together: staff's must-links, then near-duplicates (copy-and-edit campaigns); never
        // two staff clusters in one group, never a cannot-link pair.
        var groups = new Groups(inputs, cannot);
        foreach (var (a, b) in constraints.MustLink.Where(p => Valid(p, n))) groups.Union(a, b);
        var signatures = normalized.Select(MinHash).ToArray();
        var buckets = new Dictionary<(int, ulong), int>();
        for (var i = 0; i < n; i++)
        {
            for (var band = 0; band < Bands; band++)
            {
                var key = (band, BandHash(signatures[i], band));
                if (buckets.TryGetValue(key, out var other))
                {
                    // A staff-placed comment is no bridge: a copy of it may equally be a copy of the comments it left.
                    if (inputs[other].PinnedCluster is null && inputs[i].PinnedCluster is null
                        && groups.Find(other) != groups.Find(i) && Agreement(signatures[other], signatures[i]) >= _options.NearDuplicateJaccard)
                    {
                        groups.Union(other, i);
                    }
                }
                else
                {
                    buckets[key] = i;
                }
            }
        }

        // Stage 2: TF-IDF over words (jieba, the lexicon's groups as one concept) and characters.
        var vectors = Vectorize(inputs.Select(i => i.Text).ToArray(), normalized);

        // Units are the groups of stage 1; a group holding staff-placed comments belongs to their cluster.
        var unitOf = new int[n];
        var units = new List<Unit>();
        var byRoot = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            var root = groups.Find(i);
            if (!byRoot.TryGetValue(root, out var u))
            {
                u = units.Count;
                byRoot[root] = u;
                units.Add(new Unit([], groups.PinOf(root), cannot.Count > 0 && groups.HasCannot(root)));
            }
            units[u].Members.Add(i);
            unitOf[i] = u;
        }
        foreach (var unit in units) unit.Vector = Normalized(Sum(unit.Members.Select(m => vectors[m])));

        // Stage 3: items to join. Usually each unit is one item (a staff cluster is one item); with very many, a
        // leader pass at a stricter threshold first folds them into at most MaxLinkageItems.
        var items = PreGroup(units);
        var itemOfUnit = new int[units.Count];
        for (var k = 0; k < items.Count; k++) foreach (var u in items[k].Units) itemOfUnit[u] = k;
        var blocked = new HashSet<(int, int)>();
        foreach (var (a, partners) in cannot)
        {
            foreach (var b in partners)
            {
                var (x, y) = (itemOfUnit[unitOf[a]], itemOfUnit[unitOf[b]]);
                if (x != y) blocked.Add((Math.Min(x, y), Math.Max(x, y)));
            }
        }

        // Stage 4: join items. Items are sums of unit vectors, so the average pairwise cosine between two items is
        // their sums' dot product over the product of their sizes.
        var sim = Similarities(items, blocked);
        var threshold = _options.LinkThreshold + _options.SmallSetMargin / n;
        var merged = _options.Method == ClusteringMethod.MutualNeighbours
            ? Neighbourhoods(items, sim, threshold, _options.Neighbours)
            : Agglomerate(items, sim, threshold);

        var assignment = new int[n];
        var centrality = new double[n];
        var clusterIds = new List<int?>();
        for (var k = 0; k < merged.Count; k++)
        {
            clusterIds.Add(merged[k].Pinned);
            var norm = Math.Sqrt(Dot(merged[k].Sum, merged[k].Sum));
            foreach (var u in merged[k].Units)
            {
                foreach (var i in units[u].Members)
                {
                    assignment[i] = k;
                    centrality[i] = norm == 0 ? 0 : Math.Clamp(Dot(vectors[i], merged[k].Sum) / norm, 0, 1);
                }
            }
        }
        return new ClusteringResult(assignment, centrality, clusterIds);
    }

    private static bool Valid((int A, int B) pair, int n) => pair.A >= 0 && pair.B >= 0 && pair.A < n && pair.B < n;

    private sealed class Item(List<int> units, int? pinned, Dictionary<int, double> sum, int weight)
    {
        public List<int> Units { get; } = units;
        public int? Pinned { get; set; } = pinned;
        public Dictionary<int, double> Sum { get; } = sum;
        public int Weight { get; set; } = weight;
    }

    private List<Item> PreGroup(List<Unit> units)
    {
        var result = new List<Item>();
        var byPin = new Dictionary<int, Item>();
        var free = new List<int>();
        for (var u = 0; u < units.Count; u++)
        {
            if (units[u].Pinned is { } pin)
            {
                if (!byPin.TryGetValue(pin, out var item))
                {
                    item = new Item([], pin, [], 0);
                    byPin[pin] = item;
                    result.Add(item);
                }
                Add(item, u, units[u]);
            }
            else if (units[u].HasCannot)
            {
                // Staff said it belongs apart from something: never folded blindly with others.
                var item = new Item([], null, [], 0);
                Add(item, u, units[u]);
                result.Add(item);
            }
            else
            {
                free.Add(u);
            }
        }
        if (free.Count + result.Count <= _options.MaxLinkageItems)
        {
            foreach (var u in free)
            {
                var item = new Item([], null, [], 0);
                Add(item, u, units[u]);
                result.Add(item);
            }
            return result;
        }
        // Too many for the exact method: fold free units into leaders, then those leaders into fewer at a looser
        // threshold, and so on until few enough. Each pass works on the last pass's leaders, so passes get cheaper.
        var groups = free.OrderByDescending(u => units[u].Members.Count).ThenBy(u => units[u].Members[0]).Select(u =>
        {
            var item = new Item([], null, [], 0);
            Add(item, u, units[u]);
            return item;
        }).ToList();
        for (var threshold = _options.PreGroupThreshold; groups.Count + result.Count > _options.MaxLinkageItems && threshold >= 0.05; threshold *= 0.8)
        {
            var centres = new Centres();
            var leaders = new List<Item>();
            foreach (var group in groups.OrderByDescending(g => g.Weight))
            {
                var vector = Normalized(new Dictionary<int, double>(group.Sum));
                var (best, score) = centres.Closest(vector);
                if (best < 0 || score < threshold)
                {
                    best = centres.Create();
                    leaders.Add(new Item([], null, [], 0));
                }
                centres.Add(best, vector, group.Weight);
                var leader = leaders[best];
                leader.Units.AddRange(group.Units);
                foreach (var (term, w) in group.Sum) leader.Sum[term] = leader.Sum.GetValueOrDefault(term) + w;
                leader.Weight += group.Weight;
            }
            groups = leaders;
        }
        result.AddRange(groups);
        return result;
    }

    private static void Add(Item item, int u, Unit unit)
    {
        item.Units.Add(u);
        foreach (var (term, w) in unit.Vector) item.Sum[term] = item.Sum.GetValueOrDefault(term) + w * unit.Members.Count;
        item.Weight += unit.Members.Count;
    }

    /// <summary>
    /// Average pairwise cosine between every two items; minus infinity where they must stay apart (two staff
    /// clusters, or a cannot-link between them), which the average-linkage update keeps.
    /// </summary>
    private static float[,] Similarities(List<Item> items, HashSet<(int, int)> blocked)
    {
        var n = items.Count;
        var sim = new float[n, n];
        var sorted = items.Select(i => i.Sum.OrderBy(t => t.Key).ToArray()).ToArray();
        // Rows in parallel (the square table is most of the time with thousands of items); each cell is written once.
        Parallel.For(0, n, a =>
        {
            for (var b = a + 1; b < n; b++)
            {
                var value = (items[a].Pinned is { } pa && items[b].Pinned is { } pb && pa != pb) || blocked.Contains((a, b))
                    ? float.NegativeInfinity
                    : (float)(SortedDot(sorted[a], sorted[b]) / ((double)items[a].Weight * items[b].Weight));
                sim[a, b] = sim[b, a] = value;
            }
        });
        return sim;
    }

    /// <summary>
    /// The mutual k-nearest-neighbour graph (an edge where each item is among the other's k closest and they are at
    /// least <paramref name="threshold"/> alike), joined strongest edge first into connected parts, never joining
    /// parts that must stay apart.
    /// </summary>
    private static List<Item> Neighbourhoods(List<Item> items, float[,] sim, double threshold, int k)
    {
        var n = items.Count;
        var near = new HashSet<int>[n];
        for (var a = 0; a < n; a++)
        {
            near[a] = Enumerable.Range(0, n).Where(b => b != a && sim[a, b] >= threshold)
                .OrderByDescending(b => sim[a, b]).ThenBy(b => b).Take(k).ToHashSet();
        }
        var edges = new List<(int A, int B, float Sim)>();
        for (var a = 0; a < n; a++) foreach (var b in near[a]) if (a < b && near[b].Contains(a)) edges.Add((a, b, sim[a, b]));
        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        var members = Enumerable.Range(0, n).Select(a => new List<int> { a }).ToArray();
        foreach (var (a, b, _) in edges.OrderByDescending(e => e.Sim).ThenBy(e => e.A).ThenBy(e => e.B))
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra == rb) continue;
            if (members[ra].Any(x => members[rb].Any(y => float.IsNegativeInfinity(sim[x, y])))) continue;
            var (keep, gone) = ra < rb ? (ra, rb) : (rb, ra);
            parent[gone] = keep;
            members[keep].AddRange(members[gone]);
            foreach (var (term, w) in items[gone].Sum) items[keep].Sum[term] = items[keep].Sum.GetValueOrDefault(term) + w;
            items[keep].Units.AddRange(items[gone].Units);
            items[keep].Weight += items[gone].Weight;
            items[keep].Pinned ??= items[gone].Pinned;
        }
        return Enumerable.Range(0, n).Where(a => Find(a) == a).Select(a => items[a]).ToList();
    }

    private static List<Item> Agglomerate(List<Item> items, float[,] sim, double threshold)
    {
        var n = items.Count;
        var active = Enumerable.Repeat(true, n).ToArray();
        var best = new int[n];
        for (var a = 0; a < n; a++) best[a] = BestOf(a);

        int BestOf(int a)
        {
            var arg = -1;
            var top = float.NegativeInfinity;
            for (var b = 0; b < n; b++)
            {
                if (b == a || !active[b]) continue;
                if (sim[a, b] > top) (top, arg) = (sim[a, b], b);
            }
            return arg;
        }

        while (true)
        {
            var (x, top) = (-1, float.NegativeInfinity);
            for (var a = 0; a < n; a++)
            {
                if (active[a] && best[a] >= 0 && sim[a, best[a]] > top) (x, top) = (a, sim[a, best[a]]);
            }
            if (x < 0 || top < threshold) break;
            var y = best[x];
            // Keep the lower index, so results do not depend on which of the two was found first.
            var (keep, gone) = x < y ? (x, y) : (y, x);
            var (wk, wg) = (items[keep].Weight, items[gone].Weight);
            foreach (var (term, w) in items[gone].Sum) items[keep].Sum[term] = items[keep].Sum.GetValueOrDefault(term) + w;
            items[keep].Units.AddRange(items[gone].Units);
            items[keep].Weight = wk + wg;
            items[keep].Pinned ??= items[gone].Pinned;
            active[gone] = false;
            for (var k = 0; k < n; k++)
            {
                if (!active[k] || k == keep) continue;
                // Lance-Williams update for average linkage; a second staff cluster never joins the first.
                var value = items[keep].Pinned is { } pk && items[k].Pinned is { } pkk && pk != pkk
                    ? float.NegativeInfinity
                    : (wk * sim[keep, k] + wg * sim[gone, k]) / (wk + wg);
                sim[keep, k] = sim[k, keep] = value;
            }
            best[keep] = BestOf(keep);
            for (var k = 0; k < n; k++)
            {
                if (!active[k] || k == keep) continue;
                if (best[k] == keep || best[k] == gone) best[k] = BestOf(k);
                else if (best[k] >= 0 && sim[k, keep] > sim[k, best[k]]) best[k] = keep;
            }
        }
        return Enumerable.Range(0, n).Where(a => active[a]).Select(a => items[a]).ToList();
    }

    private static double SortedDot(KeyValuePair<int, double>[] a, KeyValuePair<int, double>[] b)
    {
        double dot = 0;
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            var (ka, kb) = (a[i].Key, b[j].Key);
            if (ka == kb) { dot += a[i].Value * b[j].Value; i++; j++; }
            else if (ka < kb) i++;
            else j++;
        }
        return dot;
    }

    private static double Dot(Dictionary<int, double> a, Dictionary<int, double> b)
    {
        if (a.Count > b.Count) (a, b) = (b, a);
        double dot = 0;
        foreach (var (term, w) in a) dot += w * b.GetValueOrDefault(term);
        return dot;
    }

    /// <summary>Half-width, lower case, letters and digits only; every digit is 0 so "2号楼" and "5号楼" read alike.</summary>
    public static string Normalize(string text)
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
            if (char.IsDigit(c)) builder.Append('0');
            else if (char.IsLetter(c)) builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    private static ulong[] MinHash(string text)
    {
        var signature = new ulong[Hashes];
        Array.Fill(signature, ulong.MaxValue);
        var width = Math.Min(3, text.Length);
        for (var start = 0; start + width <= text.Length && width > 0; start++)
        {
            var shingle = Fnv(text.AsSpan(start, width));
            for (var h = 0; h < Hashes; h++)
            {
                var value = SplitMix(shingle ^ Seeds[h]);
                if (value < signature[h]) signature[h] = value;
            }
        }
        return signature;
    }

    private static ulong BandHash(ulong[] signature, int band)
    {
        var hash = 14695981039346656037UL;
        for (var r = 0; r < Rows; r++) hash = (hash ^ signature[band * Rows + r]) * 1099511628211UL;
        return hash;
    }

    private static double Agreement(ulong[] a, ulong[] b)
    {
        var same = 0;
        for (var i = 0; i < Hashes; i++) if (a[i] == b[i]) same++;
        return same / (double)Hashes;
    }

    private static ulong Fnv(ReadOnlySpan<char> text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>
    /// Each comment as one L2-normalised vector: TF-IDF (sublinear TF, smoothed IDF within this decision) of its
    /// words, a lexicon group counting as one word, plus at <see cref="ClusteringOptions.CharacterWeight"/> the
    /// TF-IDF of its character bigrams and single characters, for what segmentation misses (typos, dialect).
    /// </summary>
    private Dictionary<int, double>[] Vectorize(string[] texts, string[] normalized)
    {
        var vocabulary = new Dictionary<string, int>();
        var characters = TfIdf(normalized.Select(CharacterTerms).ToArray(), vocabulary);
        if (!_options.UseWords) return characters;
        var lexicon = _options.Lexicon ?? Lexicon.Default;
        var words = new List<string>[texts.Length];
        // A word whose group's first word is a stop word (阿拉 for 我们, 蛮 for 很) says nothing about the concern either.
        Parallel.For(0, texts.Length, i => words[i] = CommentWords.Of(texts[i])
            .Select(w => lexicon.ConceptOf(w) is { } concept ? (CommentWords.IsStopWord(concept) ? null : "k" + concept) : "w" + w)
            .OfType<string>().ToList());
        var wordVectors = TfIdf(words, vocabulary);
        var concepts = new HashSet<int>(vocabulary.Where(v => v.Key[0] == 'k').Select(v => v.Value));
        for (var i = 0; i < texts.Length; i++)
        {
            var vector = wordVectors[i];
            if (_options.ConceptWeight != 1) foreach (var term in vector.Keys.Where(concepts.Contains).ToList()) vector[term] *= _options.ConceptWeight;
            if (_options.KeywordsPerComment > 0 && vector.Count > _options.KeywordsPerComment)
            {
                wordVectors[i] = vector = vector.OrderByDescending(t => t.Value).ThenBy(t => t.Key).Take(_options.KeywordsPerComment).ToDictionary();
            }
            wordVectors[i] = Normalized(vector);
        }
        var weight = _options.CharacterWeight;
        for (var i = 0; i < texts.Length; i++)
        {
            var vector = wordVectors[i];
            foreach (var (term, w) in characters[i]) vector[term] = weight * w;
            wordVectors[i] = Normalized(vector);
        }
        return wordVectors;
    }

    /// <summary>Character bigrams (the text itself when one character long) and, weighted, single characters.</summary>
    private List<string> CharacterTerms(string text)
    {
        var terms = new List<string>();
        if (text.Length == 1) terms.Add("b" + text);
        for (var start = 0; start + 2 <= text.Length; start++)
        {
            if (text[start] == '0' && text[start + 1] == '0') continue;
            var gram = text.Substring(start, 2);
            if (_options.DropCommonBigrams && CommonBigrams.Contains(gram)) continue;
            terms.Add("b" + gram);
        }
        if (_options.UnigramWeight > 0)
        {
            foreach (var c in text)
            {
                if (c != '0' && !(_options.DropCommonBigrams && CommonCharacters.Contains(c))) terms.Add("u" + c);
            }
        }
        return terms;
    }

    /// <summary>Sublinear TF times smoothed IDF, single characters ("u") at the unigram weight, L2-normalised.</summary>
    private Dictionary<int, double>[] TfIdf(IReadOnlyList<List<string>> documents, Dictionary<string, int> vocabulary)
    {
        var counts = new Dictionary<int, int>[documents.Count];
        var df = new Dictionary<int, int>();
        var unigram = _options.UnigramWeight;
        for (var i = 0; i < documents.Count; i++)
        {
            var terms = new Dictionary<int, int>();
            foreach (var term in documents[i])
            {
                if (!vocabulary.TryGetValue(term, out var id)) vocabulary[term] = id = vocabulary.Count;
                terms[id] = terms.GetValueOrDefault(id) + 1;
            }
            foreach (var id in terms.Keys) df[id] = df.GetValueOrDefault(id) + 1;
            counts[i] = terms;
        }
        var single = new HashSet<int>(vocabulary.Where(v => v.Key[0] == 'u').Select(v => v.Value));
        var n = documents.Count;
        return counts.Select(terms => Normalized(terms.ToDictionary(t => t.Key,
            t => (1 + Math.Log(t.Value)) * (Math.Log((1.0 + n) / (1 + df[t.Key])) + 1) * (single.Contains(t.Key) ? unigram : 1)))).ToArray();
    }

    private static Dictionary<int, double> Sum(IEnumerable<Dictionary<int, double>> vectors)
    {
        var sum = new Dictionary<int, double>();
        foreach (var vector in vectors)
        {
            foreach (var (term, weight) in vector) sum[term] = sum.GetValueOrDefault(term) + weight;
        }
        return sum;
    }

    private static Dictionary<int, double> Normalized(Dictionary<int, double> vector)
    {
        var norm = Math.Sqrt(vector.Values.Sum(w => w * w));
        if (norm == 0) return vector;
        foreach (var term in vector.Keys.ToList()) vector[term] /= norm;
        return vector;
    }

    private sealed class Unit(List<int> members, int? pinned, bool hasCannot)
    {
        public List<int> Members { get; } = members;
        public int? Pinned { get; } = pinned;
        public bool HasCannot { get; } = hasCannot;
        public Dictionary<int, double> Vector { get; set; } = [];
    }

    /// <summary>Cluster centres as summed unit vectors (weighted by how many comments each unit holds), with term postings.</summary>
    private sealed class Centres
    {
        private const int QueryTerms = 16;
        private readonly List<Dictionary<int, double>> _sums = [];
        private readonly List<double> _norm2 = [];
        private readonly Dictionary<int, HashSet<int>> _postings = [];
        private readonly Dictionary<int, double> _scores = [];

        public int Create()
        {
            _sums.Add([]);
            _norm2.Add(0);
            return _sums.Count - 1;
        }

        /// <summary>Adds a unit vector counted <paramref name="weight"/> times to a centre.</summary>
        public void Add(int c, Dictionary<int, double> vector, int weight)
        {
            var sum = _sums[c];
            var dot = 0.0;
            foreach (var (term, w) in vector) dot += w * sum.GetValueOrDefault(term);
            // |s + kv|² = |s|² + 2k s·v + k²|v|², with |v| = 1.
            _norm2[c] += 2 * weight * dot + (double)weight * weight;
            foreach (var (term, w) in vector)
            {
                sum[term] = sum.GetValueOrDefault(term) + weight * w;
                if (!_postings.TryGetValue(term, out var set)) _postings[term] = set = [];
                set.Add(c);
            }
        }

        /// <summary>The closest centre, judged on the vector's strongest terms only (a long vector's weak terms barely move the cosine, and their postings are long).</summary>
        public (int Cluster, double Score) Closest(Dictionary<int, double> vector)
        {
            _scores.Clear();
            IEnumerable<KeyValuePair<int, double>> terms = vector.Count <= QueryTerms ? vector : vector.OrderByDescending(t => t.Value).ThenBy(t => t.Key).Take(QueryTerms);
            foreach (var (term, w) in terms)
            {
                if (!_postings.TryGetValue(term, out var clusters)) continue;
                foreach (var c in clusters) _scores[c] = _scores.GetValueOrDefault(c) + w * _sums[c][term];
            }
            var best = -1;
            var bestScore = 0.0;
            foreach (var (c, dot) in _scores)
            {
                if (_norm2[c] <= 0) continue;
                var score = dot / Math.Sqrt(_norm2[c]);
                if (score > bestScore || (score == bestScore && c < best))
                {
                    best = c;
                    bestScore = score;
                }
            }
            return (best, bestScore);
        }
    }

    /// <summary>
    /// Union-find over comments that refuses a union putting two staff clusters, or a cannot-link pair, in one group.
    /// </summary>
    private sealed class Groups
    {
        private readonly int[] _parent;
        private readonly int?[] _pin;
        private readonly Dictionary<int, List<int>> _cannot;
        private readonly Dictionary<int, List<int>> _withCannot = [];

        public Groups(IReadOnlyList<ClusterInput> inputs, Dictionary<int, List<int>> cannot)
        {
            _parent = Enumerable.Range(0, inputs.Count).ToArray();
            _pin = inputs.Select(i => i.PinnedCluster).ToArray();
            _cannot = cannot;
            foreach (var i in cannot.Keys) _withCannot[i] = [i];
        }

        public int Find(int x)
        {
            while (_parent[x] != x)
            {
                _parent[x] = _parent[_parent[x]];
                x = _parent[x];
            }
            return x;
        }

        public int? PinOf(int root) => _pin[root];

        public bool HasCannot(int root) => _withCannot.ContainsKey(root);

        public bool Union(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra == rb) return true;
            if (_pin[ra] is { } pa && _pin[rb] is { } pb && pa != pb) return false;
            if (_withCannot.TryGetValue(ra, out var ca) && _withCannot.ContainsKey(rb)
                && ca.Any(c => _cannot[c].Any(p => Find(p) == rb))) return false;
            var (keep, gone) = (Math.Min(ra, rb), Math.Max(ra, rb));
            _parent[gone] = keep;
            _pin[keep] ??= _pin[gone];
            if (_withCannot.Remove(gone, out var moved))
            {
                if (_withCannot.TryGetValue(keep, out var list)) list.AddRange(moved);
                else _withCannot[keep] = moved;
            }
            return true;
        }
    }
}
