// Clustering quality and speed (issues 5 and 23):
//   dotnet run -c Release --project bench/Engagement.Bench -- clustering
// Quality: pairwise precision, recall and F1 on the two hand-labelled sets in tests/data/clustering (the honest set
// in honest/, the old easier one in labelled-comments.json), per draft, each clustered on its own as the site does;
// what words, the lexicon and the other method add; the threshold's sensitivity; a simulated reviewer's gain. Speed: 10,000 comments on one decision, made from the labelled ones with
// the edits residents make (another street, another number, a sentence added), clustered three times; median shown.
using System.Diagnostics;
using System.Text.Json;
using Engagement.Web.Features.Adoption;

public static class ClusteringBench
{
    private static readonly string[] Streets = ["华阳路街道", "江苏路街道", "新华路街道", "周家桥街道", "天山路街道", "仙霞新村街道", "虹桥街道", "程家桥街道", "北新泾街道", "新泾镇"];
    private static readonly string[] Tails = ["", "谢谢！", "请采纳。", "希望尽快落实。", "以上意见供参考。"];

    private sealed record Labelled(string Set, string Draft, string Label, string Text);

    /// <summary>The honest set (tests/data/clustering/honest/*.json, one draft a file) and the old one.</summary>
    private static List<Labelled> Load(string root)
    {
        var folder = Path.Combine(root, "tests", "data", "clustering");
        var old = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "labelled-comments.json"))).RootElement;
        var all = old.GetProperty("comments").EnumerateArray()
            .Select(c => new Labelled("old", c.GetProperty("draft").GetString()!, c.GetProperty("label").GetString()!, c.GetProperty("text").GetString()!)).ToList();
        foreach (var file in Directory.GetFiles(Path.Combine(folder, "honest"), "*.json").Order())
        {
            var data = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
            var draft = data.GetProperty("draft").GetProperty("id").GetString()!;
            all.AddRange(data.GetProperty("comments").EnumerateArray()
                .Select(c => new Labelled("honest", draft, c.GetProperty("label").GetString()!, c.GetProperty("text").GetString()!)));
        }
        return all;
    }

    /// <summary>Pairwise quality over a set's drafts, each clustered on its own as the site does; optionally after a simulated reviewer's fixes.</summary>
    private static (ClusteringQuality Total, List<(string Draft, int Comments, int Labels, int Clusters, ClusteringQuality Quality)> Drafts) Score(
        IEnumerable<Labelled> comments, ClusteringOptions options, int reviewerFixes = 0)
    {
        var total = new ClusteringQuality(0, 0, 0);
        var drafts = new List<(string, int, int, int, ClusteringQuality)>();
        var clusterer = new CommentClusterer(options);
        foreach (var draft in comments.GroupBy(c => c.Draft))
        {
            var list = draft.ToList();
            var inputs = list.Select(c => new ClusterInput(c.Text)).ToList();
            var labels = list.Select(c => c.Label).ToList();
            var result = clusterer.Cluster(inputs);
            if (reviewerFixes > 0) result = clusterer.Cluster(inputs, SimulatedReviewer.Fix(labels, result.Assignment, reviewerFixes));
            var quality = ClusteringQuality.Measure(labels, result.Assignment);
            total += quality;
            drafts.Add((draft.Key, list.Count, labels.Distinct().Count(), result.Clusters.Count, quality));
        }
        return (total, drafts);
    }

    private static string Figures(ClusteringQuality q) => $"P {q.Precision:F3} R {q.Recall:F3} F1 {q.F1:F3}";

    /// <summary>Every setting over a grid on both sets (to choose the defaults and see how sensitive they are).</summary>
    public static void Tune(string root)
    {
        var all = Load(root);
        var grid = Environment.GetEnvironmentVariable("BENCH_GRID") == "full";
        foreach (var method in Enum.GetValues<ClusteringMethod>())
        foreach (var words in grid ? new[] { false, true } : [true])
        foreach (var lexicon in words ? new[] { false, true } : [false])
        foreach (var characters in words ? new[] { 0.0, 0.25, 0.5 } : [1.0])
        foreach (var keywords in new[] { 0, 4, 8 })
        foreach (var concept in lexicon ? new[] { 1.0, 2.0 } : [1.0])
        foreach (var link in new[] { 0.01, 0.02, 0.03, 0.04, 0.06 })
        {
            var options = new ClusteringOptions
            {
                Method = method, UseWords = words, Lexicon = lexicon ? null : Lexicon.Empty, CharacterWeight = characters, LinkThreshold = link,
                KeywordsPerComment = keywords, ConceptWeight = concept,
            };
            var honest = Score(all.Where(c => c.Set == "honest"), options).Total;
            var old = Score(all.Where(c => c.Set == "old"), options).Total;
            Console.WriteLine($"{method,-16} words {words,-5} lexicon {lexicon,-5} chars {characters:F2} keywords {keywords} concept {concept:F0} link {link:F3}: honest {Figures(honest)} | old {Figures(old)}");
        }
    }

    public static void Run(string root)
    {
        var all = Load(root);
        var chosen = new ClusteringOptions();
        Console.WriteLine($"Chosen: {chosen.Method}, words {chosen.UseWords}, lexicon of {Lexicon.Default.Groups} groups, character weight {chosen.CharacterWeight}, link threshold {chosen.LinkThreshold}");
        foreach (var set in new[] { "honest", "old" })
        {
            var comments = all.Where(c => c.Set == set).ToList();
            var (total, drafts) = Score(comments, chosen);
            Console.WriteLine($"{set} set: {comments.Count} comments on {drafts.Count} drafts");
            foreach (var d in drafts)
            {
                Console.WriteLine($"  {d.Draft,-12} {d.Comments,4} comments, {d.Labels,3} concerns, {d.Clusters,3} clusters: {Figures(d.Quality)}");
            }
            Console.WriteLine($"  all drafts: {Figures(total)}");
        }

        // Where it goes wrong: the concern pairs most often put together, and the concerns most scattered.
        Console.WriteLine("Confusions on the honest set (pairs of comments of two concerns put in one cluster; concerns by how scattered they are):");
        var clusterer10 = new CommentClusterer(chosen);
        foreach (var draft in all.Where(c => c.Set == "honest").GroupBy(c => c.Draft))
        {
            var list = draft.ToList();
            var assignment = clusterer10.Cluster(list.Select(c => new ClusterInput(c.Text)).ToList()).Assignment;
            var confused = new Dictionary<(string, string), int>();
            for (var a = 0; a < list.Count; a++)
            {
                for (var b = a + 1; b < list.Count; b++)
                {
                    if (assignment[a] != assignment[b] || list[a].Label == list[b].Label) continue;
                    var key = string.CompareOrdinal(list[a].Label, list[b].Label) < 0 ? (list[a].Label, list[b].Label) : (list[b].Label, list[a].Label);
                    confused[key] = confused.GetValueOrDefault(key) + 1;
                }
            }
            var top = confused.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item1).Take(3).Select(p => $"{p.Key.Item1} + {p.Key.Item2} ({p.Value})");
            var scattered = list.Select((c, i) => (c.Label, Cluster: assignment[i])).GroupBy(x => x.Label).Where(g => g.Count() >= 5)
                .Select(g => (Label: g.Key, Size: g.Count(), Clusters: g.Select(x => x.Cluster).Distinct().Count()))
                .OrderByDescending(x => x.Clusters / (double)x.Size).Take(3).Select(x => $"{x.Label} ({x.Size} comments in {x.Clusters} clusters)");
            Console.WriteLine($"  {draft.Key,-12} confused: {string.Join("; ", top)}");
            Console.WriteLine($"  {"",-12} scattered: {string.Join("; ", scattered)}");
        }

        Console.WriteLine("What each part adds (all drafts of each set):");
        var variants = new (string Name, ClusteringOptions Options)[]
        {
            ("characters only (the old clusterer)", chosen with { UseWords = false, Lexicon = Lexicon.Empty, LinkThreshold = 0.03 }),
            ("+ words (jieba, user dictionary)", chosen with { Lexicon = Lexicon.Empty }),
            ("+ lexicon (the chosen defaults)", chosen),
            ("other method: mutual neighbours", chosen with { Method = chosen.Method == ClusteringMethod.AverageLinkage ? ClusteringMethod.MutualNeighbours : ClusteringMethod.AverageLinkage }),
        };
        foreach (var (name, options) in variants)
        {
            Console.WriteLine($"  {name,-40} honest {Figures(Score(all.Where(c => c.Set == "honest"), options).Total)} | old {Figures(Score(all.Where(c => c.Set == "old"), options).Total)}");
        }

        Console.WriteLine("Threshold sensitivity (chosen method, F1):");
        foreach (var link in new[] { 0.5, 0.75, 1.0, 1.25, 1.5 }.Select(f => Math.Round(chosen.LinkThreshold * f, 4)))
        {
            var options = chosen with { LinkThreshold = link };
            Console.WriteLine($"  link {link:F4}: honest F1 {Score(all.Where(c => c.Set == "honest"), options).Total.F1:F3} | old F1 {Score(all.Where(c => c.Set == "old"), options).Total.F1:F3}");
        }

        Console.WriteLine("A simulated reviewer fixes the ten largest mistakes of each draft, then it is clustered again:");
        foreach (var set in new[] { "honest", "old" })
        {
            var before = Score(all.Where(c => c.Set == set), chosen).Total;
            var after = Score(all.Where(c => c.Set == set), chosen, reviewerFixes: 10).Total;
            Console.WriteLine($"  {set,-6} before {Figures(before)}; after {Figures(after)}");
        }

        var comments10k = all.Select(c => (c.Draft, c.Text)).ToList();
        var clusterer = new CommentClusterer();
        // Half are a labelled comment as another resident would send it (another street or building, a closing
        // phrase); half join two comments of the same draft into one new text, so thousands are unlike any other
        // and the clusterer's large-input path (a leader pass before the linkage) is exercised.
        var random = new Random(20261123);
        var byDraft = comments10k.GroupBy(c => c.Draft).Select(g => g.Select(c => c.Text).ToArray()).ToArray();
        var big = Enumerable.Range(0, 10_000).Select(i =>
        {
            var draft = byDraft[random.Next(byDraft.Length)];
            var text = i % 2 == 0
                ? $"{Streets[random.Next(Streets.Length)]}{random.Next(1, 60)}号楼：{draft[random.Next(draft.Length)]}{Tails[random.Next(Tails.Length)]}"
                : $"{draft[random.Next(draft.Length)]}另外，{draft[random.Next(draft.Length)]}";
            return new ClusterInput(text);
        }).ToList();
        clusterer.Cluster(big.Take(500).ToList()); // warm up the JIT
        var times = new List<double>();
        var clusters = 0;
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            clusters = clusterer.Cluster(big).Clusters.Count;
            times.Add(watch.Elapsed.TotalSeconds);
        }
        times.Sort();
        Console.WriteLine($"10,000 comments: {clusters} clusters; median {times[1]:F2} s (runs: {string.Join(", ", times.Select(t => t.ToString("F2")))} s)");
    }
}
