using System.Text;

namespace Engagement.Web.Features.Adoption;

/// <summary>One comment to cluster: its text and, when staff placed it by hand, the cluster they put it in.</summary>
public sealed record ClusterInput(string Text, int? PinnedCluster = null);

/// <summary>Where each input landed (an index into <see cref="Clusters"/>) and how close it is to its cluster's centre (0..1).</summary>
public sealed record ClusteringResult(IReadOnlyList<int> Assignment, IReadOnlyList<double> Centrality, IReadOnlyList<int?> Clusters);

public sealed record ClusteringOptions
{
    /// <summary>Estimated Jaccard similarity of character 3-gram shingles above which two comments are near-duplicates.</summary>
    public double NearDuplicateJaccard { get; init; } = 0.5;

    /// <summary>Cosine similarity (TF-IDF over character bigrams) a comment needs to its cluster's centre to join it.</summary>
    public double JoinThreshold { get; init; } = 0.2;

    /// <summary>Cosine similarity between two cluster centres above which they are one topic.</summary>
    public double MergeThreshold { get; init; } = 0.3;

    public int RefinementPasses { get; init; } = 2;
}

/// <summary>
/// Groups a decision's comments by what they ask for, in Chinese, without a word segmenter.
/// Two stages: near-duplicates (copy-and-edit campaigns) are found with MinHash over character 3-gram shingles and
/// banded LSH, verified by the signature agreement; then topics are found by clustering those groups on TF-IDF
/// vectors of character bigrams (Chinese words are mostly two characters, so bigrams approximate words) with cosine
/// similarity: a single pass assigns each group to the closest centre above <see cref="ClusteringOptions.JoinThreshold"/>
/// (largest groups first, so campaigns seed topics), a few k-means-style passes let comments move to a better centre,
/// and centres that are close are merged. Comments staff pinned never move and two clusters that hold pinned comments
/// are never merged, so their edits survive re-clustering; new comments may still join them. Costs stay near-linear
/// through inverted indexes (LSH buckets for duplicates, term postings over centres for topics).
/// </summary>
public sealed class CommentClusterer(ClusteringOptions? options = null)
{
    private const int Hashes = 64;
    private const int Bands = 16;
    private const int Rows = Hashes / Bands;
    private static readonly ulong[] Seeds = Enumerable.Range(0, Hashes).Select(i => SplitMix((ulong)i * 0x9E3779B97F4A7C15UL + 12345)).ToArray();

    private readonly ClusteringOptions _options = options ?? new ClusteringOptions();

    public ClusteringResult Cluster(IReadOnlyList<ClusterInput> inputs)
    {
        var n = inputs.Count;
        if (n == 0) return new ClusteringResult([], [], []);
        var normalized = inputs.Select(i => Normalize(i.Text)).ToArray();

        // Stage 1: near-duplicates, never across two different pinned clusters.
        var groups = new UnionFind(n);
        var signatures = normalized.Select(MinHash).ToArray();
        var buckets = new Dictionary<(int, ulong), int>();
        for (var i = 0; i < n; i++)
        {
            for (var band = 0; band < Bands; band++)
            {
                var key = (band, BandHash(signatures[i], band));
                if (buckets.TryGetValue(key, out var other))
                {
                    if (groups.Find(other) != groups.Find(i) && CanJoin(inputs[other], inputs[i])
                        && Agreement(signatures[other], signatures[i]) >= _options.NearDuplicateJaccard)
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

        // Stage 2: TF-IDF over character bigrams.
        var vectors = Vectorize(normalized);

        // Units are the near-duplicate groups; pinned comments are units of their own (they never move).
        var unitOf = new int[n];
        var units = new List<Unit>();
        var byRoot = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            if (inputs[i].PinnedCluster is not null)
            {
                unitOf[i] = units.Count;
                units.Add(new Unit([i], inputs[i].PinnedCluster));
                continue;
            }
            var root = groups.Find(i);
            if (!byRoot.TryGetValue(root, out var u))
            {
                u = units.Count;
                byRoot[root] = u;
                units.Add(new Unit([], null));
            }
            units[u].Members.Add(i);
            unitOf[i] = u;
        }
        foreach (var unit in units) unit.Vector = Normalized(Sum(unit.Members.Select(m => vectors[m])));

        var centres = new Centres();
        var clusterOfUnit = new int[units.Count];
        var pinnedClusters = new Dictionary<int, int>();
        // Staff's clusters come first, so new comments can join them.
        for (var u = 0; u < units.Count; u++)
        {
            if (units[u].Pinned is not { } pinned) continue;
            if (!pinnedClusters.TryGetValue(pinned, out var c))
            {
                c = centres.Create(pinned);
                pinnedClusters[pinned] = c;
            }
            clusterOfUnit[u] = c;
            centres.Add(c, units[u].Vector, units[u].Members.Count);
        }
        var free = Enumerable.Range(0, units.Count).Where(u => units[u].Pinned is null)
            .OrderByDescending(u => units[u].Members.Count).ThenBy(u => units[u].Members[0]).ToList();
        foreach (var u in free)
        {
            var (best, score) = centres.Closest(units[u].Vector);
            if (best < 0 || score < _options.JoinThreshold) best = centres.Create(null);
            clusterOfUnit[u] = best;
            centres.Add(best, units[u].Vector, units[u].Members.Count);
        }

        for (var pass = 0; pass < _options.RefinementPasses; pass++)
        {
            var moved = false;
            foreach (var u in free)
            {
                var current = clusterOfUnit[u];
                centres.Remove(current, units[u].Vector, units[u].Members.Count);
                var (best, score) = centres.Closest(units[u].Vector);
                if (best < 0 || score < _options.JoinThreshold || centres.Size(best) == 0) best = current;
                if (best != current) moved = true;
                clusterOfUnit[u] = best;
                centres.Add(best, units[u].Vector, units[u].Members.Count);
            }
            if (!moved) break;
        }

        // Merge close centres (smaller into larger), never two staff clusters into one.
        var mergedInto = centres.MergeClose(_options.MergeThreshold);

        var clusterIndex = new Dictionary<int, int>();
        var clusterIds = new List<int?>();
        var assignment = new int[n];
        var centrality = new double[n];
        for (var i = 0; i < n; i++)
        {
            var c = mergedInto(clusterOfUnit[unitOf[i]]);
            if (!clusterIndex.TryGetValue(c, out var index))
            {
                index = clusterIds.Count;
                clusterIndex[c] = index;
                clusterIds.Add(centres.PinnedId(c));
            }
            assignment[i] = index;
            centrality[i] = centres.Cosine(c, vectors[i]);
        }
        return new ClusteringResult(assignment, centrality, clusterIds);
    }

    private static bool CanJoin(ClusterInput a, ClusterInput b) =>
        a.PinnedCluster is null || b.PinnedCluster is null || a.PinnedCluster == b.PinnedCluster;

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

    /// <summary>Sublinear TF times smoothed IDF over character bigrams (single characters for one-character texts), L2-normalised.</summary>
    private static Dictionary<int, double>[] Vectorize(string[] texts)
    {
        var vocabulary = new Dictionary<string, int>();
        var counts = new Dictionary<int, int>[texts.Length];
        var df = new List<int>();
        for (var i = 0; i < texts.Length; i++)
        {
            var terms = new Dictionary<int, int>();
            var text = texts[i];
            var width = text.Length >= 2 ? 2 : 1;
            for (var start = 0; start + width <= text.Length; start++)
            {
                var gram = text.Substring(start, width);
                if (gram.All(char.IsDigit)) continue;
                if (!vocabulary.TryGetValue(gram, out var id))
                {
                    id = vocabulary.Count;
                    vocabulary[gram] = id;
                    df.Add(0);
                }
                terms[id] = terms.GetValueOrDefault(id) + 1;
            }
            foreach (var id in terms.Keys) df[id]++;
            counts[i] = terms;
        }
        var n = texts.Length;
        return counts.Select(terms => Normalized(terms.ToDictionary(t => t.Key,
            t => (1 + Math.Log(t.Value)) * (Math.Log((1.0 + n) / (1 + df[t.Key])) + 1)))).ToArray();
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

    private sealed class Unit(List<int> members, int? pinned)
    {
        public List<int> Members { get; } = members;
        public int? Pinned { get; } = pinned;
        public Dictionary<int, double> Vector { get; set; } = [];
    }

    /// <summary>Cluster centres as summed unit vectors (weighted by how many comments each unit holds), with term postings.</summary>
    private sealed class Centres
    {
        private readonly List<Dictionary<int, double>> _sums = [];
        private readonly List<double> _norm2 = [];
        private readonly List<int> _sizes = [];
        private readonly List<int?> _pinned = [];
        private readonly Dictionary<int, HashSet<int>> _postings = [];
        private readonly Dictionary<int, double> _scores = [];
        private int[] _parent = [];

        public int Create(int? pinned)
        {
            _sums.Add([]);
            _norm2.Add(0);
            _sizes.Add(0);
            _pinned.Add(pinned);
            return _sums.Count - 1;
        }

        public int Size(int c) => _sizes[c];

        public int? PinnedId(int c) => _pinned[c];

        public void Add(int c, Dictionary<int, double> vector, int weight) => Change(c, vector, weight);

        public void Remove(int c, Dictionary<int, double> vector, int weight) => Change(c, vector, -weight);

        private void Change(int c, Dictionary<int, double> vector, int weight)
        {
            var sum = _sums[c];
            var dot = 0.0;
            foreach (var (term, w) in vector) dot += w * sum.GetValueOrDefault(term);
            // |s + kv|² = |s|² + 2k s·v + k²|v|², with |v| = 1.
            _norm2[c] = Math.Max(0, _norm2[c] + 2 * weight * dot + (double)weight * weight);
            _sizes[c] += weight;
            foreach (var (term, w) in vector)
            {
                var value = sum.GetValueOrDefault(term) + weight * w;
                if (Math.Abs(value) < 1e-12 || _sizes[c] == 0)
                {
                    sum.Remove(term);
                    if (_postings.TryGetValue(term, out var set)) set.Remove(c);
                }
                else
                {
                    sum[term] = value;
                    if (!_postings.TryGetValue(term, out var set)) _postings[term] = set = [];
                    set.Add(c);
                }
            }
            if (_sizes[c] == 0) _norm2[c] = 0;
        }

        public (int Cluster, double Score) Closest(Dictionary<int, double> vector)
        {
            _scores.Clear();
            foreach (var (term, w) in vector)
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

        public double Cosine(int c, Dictionary<int, double> vector)
        {
            if (_norm2[c] <= 0) return 0;
            var dot = 0.0;
            var sum = _sums[c];
            foreach (var (term, w) in vector) dot += w * sum.GetValueOrDefault(term);
            return Math.Clamp(dot / Math.Sqrt(_norm2[c]), 0, 1);
        }

        /// <summary>Merges centres closer than the threshold, biggest first; returns where each old centre went.</summary>
        public Func<int, int> MergeClose(double threshold)
        {
            _parent = Enumerable.Range(0, _sums.Count).ToArray();
            var order = Enumerable.Range(0, _sums.Count).Where(c => _sizes[c] > 0).OrderByDescending(c => _sizes[c]).ThenBy(c => c).ToList();
            foreach (var c in order.AsEnumerable().Reverse())
            {
                if (_sizes[c] == 0) continue;
                var vector = _sums[c].ToDictionary(t => t.Key, t => t.Value / Math.Sqrt(_norm2[c]));
                var (best, score) = ClosestOther(c, vector);
                if (best < 0 || score < threshold || (_pinned[c] is not null && _pinned[best] is not null)) continue;
                var size = _sizes[c];
                var sum = _sums[c].ToDictionary(t => t.Key, t => t.Value);
                var pinned = _pinned[c];
                // Move the whole sum over: add term by term, then drop the merged centre.
                foreach (var (term, value) in sum)
                {
                    var target = _sums[best];
                    target[term] = target.GetValueOrDefault(term) + value;
                    if (!_postings.TryGetValue(term, out var set)) _postings[term] = set = [];
                    set.Add(best);
                    _postings[term].Remove(c);
                }
                _norm2[best] = _sums[best].Values.Sum(v => v * v);
                _sizes[best] += size;
                _pinned[best] ??= pinned;
                _sums[c] = [];
                _norm2[c] = 0;
                _sizes[c] = 0;
                _parent[c] = best;
            }
            return Root;
        }

        private (int, double) ClosestOther(int self, Dictionary<int, double> vector)
        {
            var (best, score) = (-1, 0.0);
            _scores.Clear();
            foreach (var (term, w) in vector)
            {
                if (!_postings.TryGetValue(term, out var clusters)) continue;
                foreach (var c in clusters)
                {
                    if (c != self) _scores[c] = _scores.GetValueOrDefault(c) + w * _sums[c][term];
                }
            }
            foreach (var (c, dot) in _scores)
            {
                if (_norm2[c] <= 0) continue;
                var s = dot / Math.Sqrt(_norm2[c]);
                if (s > score || (s == score && c < best)) (best, score) = (c, s);
            }
            return (best, score);
        }

        private int Root(int c)
        {
            while (_parent[c] != c) c = _parent[c];
            return c;
        }
    }

    private sealed class UnionFind(int n)
    {
        private readonly int[] _parent = Enumerable.Range(0, n).ToArray();

        public int Find(int x)
        {
            while (_parent[x] != x)
            {
                _parent[x] = _parent[_parent[x]];
                x = _parent[x];
            }
            return x;
        }

        public void Union(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb) _parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }
}
