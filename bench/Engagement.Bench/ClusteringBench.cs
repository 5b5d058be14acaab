// Clustering quality and speed (issue 5):
//   dotnet run -c Release --project bench/Engagement.Bench -- clustering
// Quality: pairwise precision and recall on the hand-labelled comments in tests/data/clustering (each draft
// clustered on its own, as the site does). Speed: 10,000 comments on one decision, made from the labelled ones with
// the edits residents make (another street, another number, a sentence added), clustered three times; median shown.
using System.Diagnostics;
using System.Text.Json;
using Engagement.Web.Features.Adoption;

public static class ClusteringBench
{
    private static readonly string[] Streets = ["华阳路街道", "江苏路街道", "新华路街道", "周家桥街道", "天山路街道", "仙霞新村街道", "虹桥街道", "程家桥街道", "北新泾街道", "新泾镇"];
    private static readonly string[] Tails = ["", "谢谢！", "请采纳。", "希望尽快落实。", "以上意见供参考。"];

    /// <summary>Pairwise quality of each setting over a grid, per draft and in all (to choose the defaults).</summary>
    public static void Tune(string root)
    {
        var data = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "tests", "data", "clustering", "labelled-comments.json"))).RootElement;
        var comments = data.GetProperty("comments").EnumerateArray()
            .Select(c => (Draft: c.GetProperty("draft").GetString()!, Label: c.GetProperty("label").GetString()!, Text: c.GetProperty("text").GetString()!)).ToList();
        foreach (var link in new[] { 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1 })
        foreach (var unigram in new[] { 0.3, 0.6, 0.8, 1.0 })
        foreach (var drop in new[] { true })
        {
            var options = new ClusteringOptions { LinkThreshold = link, UnigramWeight = unigram, DropCommonBigrams = drop };
            var total = new ClusteringQuality(0, 0, 0);
            var perDraft = new List<string>();
            foreach (var draft in comments.GroupBy(c => c.Draft))
            {
                var list = draft.ToList();
                var result = new CommentClusterer(options).Cluster(list.Select(c => new ClusterInput(c.Text)).ToList());
                var q = ClusteringQuality.Measure(list.Select(c => c.Label).ToList(), result.Assignment);
                total += q;
                perDraft.Add($"{q.F1:F2}");
            }
            Console.WriteLine($"link {link:F2} unigram {unigram:F1} drop {drop,-5}: P {total.Precision:F3} R {total.Recall:F3} F1 {total.F1:F3}  per draft F1 {string.Join(" ", perDraft)}");
        }
    }

    public static void Run(string root)
    {
        var data = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "tests", "data", "clustering", "labelled-comments.json"))).RootElement;
        var comments = data.GetProperty("comments").EnumerateArray()
            .Select(c => (Draft: c.GetProperty("draft").GetString()!, Label: c.GetProperty("label").GetString()!, Text: c.GetProperty("text").GetString()!)).ToList();
        var clusterer = new CommentClusterer();

        var total = new ClusteringQuality(0, 0, 0);
        Console.WriteLine($"Labelled comments: {comments.Count} on {comments.Select(c => c.Draft).Distinct().Count()} drafts");
        foreach (var draft in comments.GroupBy(c => c.Draft))
        {
            var list = draft.ToList();
            var result = clusterer.Cluster(list.Select(c => new ClusterInput(c.Text)).ToList());
            var quality = ClusteringQuality.Measure(list.Select(c => c.Label).ToList(), result.Assignment);
            total += quality;
            Console.WriteLine($"  {draft.Key,-12} {list.Count,4} comments, {list.Select(c => c.Label).Distinct().Count(),3} labels, {result.Clusters.Count,3} clusters: precision {quality.Precision:F3}, recall {quality.Recall:F3}");
        }
        Console.WriteLine($"  all drafts: precision {total.Precision:F3}, recall {total.Recall:F3}, F1 {total.F1:F3}");

        // Half are a labelled comment as another resident would send it (another street or building, a closing
        // phrase); half join two comments of the same draft into one new text, so thousands are unlike any other
        // and the clusterer's large-input path (a leader pass before the linkage) is exercised.
        var random = new Random(20261123);
        var byDraft = comments.GroupBy(c => c.Draft).Select(g => g.Select(c => c.Text).ToArray()).ToArray();
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
