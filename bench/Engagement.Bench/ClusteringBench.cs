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

        var random = new Random(20261123);
        var big = Enumerable.Range(0, 10_000).Select(i =>
        {
            var source = comments[i % comments.Count].Text;
            var text = $"{Streets[random.Next(Streets.Length)]}{random.Next(1, 60)}号楼居民：{source}{Tails[random.Next(Tails.Length)]}";
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
