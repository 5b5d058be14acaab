using Engagement.Web.Features.Adoption;

namespace Engagement.UnitTests.Adoption;

/// <summary>Clustering quality is measured on hand-labelled comments, never asserted: it may not fall below the stored baseline.</summary>
public sealed class ClusteringQualityTests
{
    [Fact]
    public void Pairwise_precision_and_recall_count_pairs()
    {
        // Truth: {0,1,2} {3}; predicted: {0,1} {2,3}.
        var quality = ClusteringQuality.Measure(["a", "a", "a", "b"], [0, 0, 1, 1]);
        Assert.Equal(3, quality.TruePairs);
        Assert.Equal(2, quality.PredictedPairs);
        Assert.Equal(1, quality.CorrectPairs);
        Assert.Equal(0.5, quality.Precision);
        Assert.Equal(1 / 3.0, quality.Recall, 6);
    }

    [Fact]
    public void The_labelled_set_is_big_enough_and_consistent()
    {
        var data = LabelledComments.Load();
        Assert.True(data.Comments.Count >= 300, $"{data.Comments.Count} labelled comments; at least 300 are needed");
        Assert.True(data.Drafts.Count >= 3);
        Assert.All(data.Comments, c => Assert.Contains(data.Drafts, d => d.Id == c.Draft));
        Assert.Equal(data.Comments.Count, data.Comments.Select(c => c.Text).Distinct().Count());
    }

    [Fact]
    public void Clustering_the_labelled_comments_keeps_precision_and_recall_at_or_above_the_baseline()
    {
        var data = LabelledComments.Load();
        var baseline = LabelledComments.Baseline();
        var total = new ClusteringQuality(0, 0, 0);
        foreach (var draft in data.Drafts)
        {
            // Each decision is clustered on its own, as the site does.
            var comments = data.Comments.Where(c => c.Draft == draft.Id).ToList();
            var result = new CommentClusterer().Cluster(comments.Select(c => new ClusterInput(c.Text)).ToList());
            total += ClusteringQuality.Measure(comments.Select(c => c.Label).ToList(), result.Assignment);
        }
        Assert.True(total.Precision >= baseline.Precision, $"precision {total.Precision:F3} fell below the baseline {baseline.Precision:F3}");
        Assert.True(total.Recall >= baseline.Recall, $"recall {total.Recall:F3} fell below the baseline {baseline.Recall:F3}");
    }
}
