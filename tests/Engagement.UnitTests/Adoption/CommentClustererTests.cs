using Engagement.Web.Features.Adoption;

namespace Engagement.UnitTests.Adoption;

public sealed class CommentClustererTests
{
    private static readonly CommentClusterer Clusterer = new();

    private static IReadOnlyList<int> Cluster(params string[] texts) => Clusterer.Cluster(texts.Select(t => new ClusterInput(t)).ToList()).Assignment;

    [Fact]
    public void Nothing_to_cluster_gives_nothing()
    {
        var result = Clusterer.Cluster([]);
        Assert.Empty(result.Assignment);
        Assert.Empty(result.Clusters);
    }

    [Fact]
    public void Near_duplicates_with_other_places_numbers_and_punctuation_fall_together()
    {
        var a = Cluster(
            "我们仙霞新村街道3号楼的老人上下楼很困难，强烈建议提高加装电梯的财政补贴标准，减轻居民负担。",
            "我们虹桥街道12号楼的老人上下楼很困难,强烈建议提高加装电梯的财政补贴标准,减轻居民负担!",
            "社区助餐点的菜品口味偏咸，建议少盐少油，照顾有高血压的老人。");
        Assert.Equal(a[0], a[1]);
        Assert.NotEqual(a[0], a[2]);
    }

    [Fact]
    public void The_same_request_in_other_words_falls_together_and_a_different_request_apart()
    {
        var a = Cluster(
            "建议提高加装电梯的财政补贴标准，现在的补贴太低了。",
            "加装电梯补贴标准太低，希望政府提高补贴。",
            "电梯补贴标准应该提高，居民自筹压力很大。",
            "低层住户的采光会受到电梯井道遮挡，应当给予补偿。",
            "一楼二楼住户采光被遮挡，补偿标准要写清楚。");
        Assert.Equal(a[0], a[1]);
        Assert.Equal(a[0], a[2]);
        Assert.Equal(a[3], a[4]);
        Assert.NotEqual(a[0], a[3]);
    }

    [Fact]
    public void Pinned_comments_stay_where_staff_put_them()
    {
        // Staff decided these two identical texts are different matters; the clusterer must not undo that.
        var result = Clusterer.Cluster([
            new ClusterInput("建议提高加装电梯补贴标准。", PinnedCluster: 1),
            new ClusterInput("建议提高加装电梯补贴标准。", PinnedCluster: 2),
        ]);
        Assert.NotEqual(result.Assignment[0], result.Assignment[1]);
        Assert.Equal(1, result.Clusters[result.Assignment[0]]);
        Assert.Equal(2, result.Clusters[result.Assignment[1]]);
    }

    [Fact]
    public void A_new_comment_joins_the_staff_cluster_it_resembles()
    {
        var result = Clusterer.Cluster([
            new ClusterInput("加装电梯的财政补贴标准太低，建议提高。", PinnedCluster: 7),
            new ClusterInput("低层住户的采光补偿要明确。", PinnedCluster: 8),
            new ClusterInput("财政补贴标准太低了，加装电梯建议提高补贴。"),
        ]);
        Assert.Equal(7, result.Clusters[result.Assignment[2]]);
    }

    [Fact]
    public void Clustering_is_deterministic()
    {
        var texts = Enumerable.Range(0, 40).Select(i => $"第{i % 7}号意见：建议{(i % 3 == 0 ? "提高补贴" : i % 3 == 1 ? "简化流程" : "明确补偿")}，谢谢。").ToArray();
        Assert.Equal(Cluster(texts), Cluster(texts));
    }

    [Fact]
    public void Centrality_is_between_zero_and_one()
    {
        var result = Clusterer.Cluster(new[] { "建议提高补贴", "补贴要提高", "简化审批", "!!!", "" }.Select(t => new ClusterInput(t)).ToList());
        Assert.All(result.Centrality, c => Assert.InRange(c, 0, 1));
        Assert.Equal(5, result.Assignment.Count);
    }

    private static readonly string[] Market =
    [
        "摊位费一年比一年高，小摊贩吃不消。",
        "摊位费又要涨，摊贩都说撑不住了。",
        "房钿再涨下去，小摊头做不下去了。",
        "菜场开门太晚，老人早上买不到菜。",
        "菜场地面湿滑，老人容易摔跤。",
    ];

    [Fact]
    public void A_must_link_puts_differently_worded_comments_together_and_nothing_else()
    {
        var inputs = Market.Select(t => new ClusterInput(t)).ToList();
        var free = Clusterer.Cluster(inputs).Assignment;
        Assert.NotEqual(free[0], free[2]);
        var linked = Clusterer.Cluster(inputs, new ClusterConstraints([(2, 0)], [])).Assignment;
        Assert.Equal(linked[0], linked[2]);
        Assert.NotEqual(linked[0], linked[3]);
        Assert.Equal(linked[3], linked[4]);
    }

    [Fact]
    public void A_cannot_link_keeps_even_near_duplicates_apart()
    {
        var inputs = new[]
        {
            "社区助餐点一餐二十多元太贵了，建议补贴后控制在15元以内，仙霞新村街道。",
            "社区助餐点一餐二十多元太贵了，建议补贴后控制在15元以内，虹桥街道。",
        }.Select(t => new ClusterInput(t)).ToList();
        Assert.Equal(1, Clusterer.Cluster(inputs).Clusters.Count);
        var apart = Clusterer.Cluster(inputs, new ClusterConstraints([], [(0, 1)])).Assignment;
        Assert.NotEqual(apart[0], apart[1]);
    }

    [Fact]
    public void Cannot_link_wins_over_a_must_link_that_contradicts_it()
    {
        var inputs = Market.Select(t => new ClusterInput(t)).ToList();
        var result = Clusterer.Cluster(inputs, new ClusterConstraints([(0, 2), (2, 1)], [(0, 1)])).Assignment;
        Assert.NotEqual(result[0], result[1]);
    }

    [Fact]
    public void Constraints_pointing_outside_the_comments_are_ignored()
    {
        var inputs = Market.Select(t => new ClusterInput(t)).ToList();
        var result = Clusterer.Cluster(inputs, new ClusterConstraints([(-1, 2), (0, 99)], [(7, 0)]));
        Assert.Equal(Market.Length, result.Assignment.Count);
    }

    [Fact]
    public void Both_methods_keep_staff_clusters_apart()
    {
        foreach (var method in Enum.GetValues<ClusteringMethod>())
        {
            var inputs = new[] { new ClusterInput(Market[0], 0), new ClusterInput(Market[1], 1), new ClusterInput(Market[2]) };
            var result = new CommentClusterer(new ClusteringOptions { Method = method }).Cluster(inputs);
            Assert.NotEqual(result.Assignment[0], result.Assignment[1]);
        }
    }
}
