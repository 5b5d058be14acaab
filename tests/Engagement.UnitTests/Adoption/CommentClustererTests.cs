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
}
