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
    public void The_honest_set_has_six_drafts_and_six_hundred_comments_without_near_copies()
    {
        var honest = LabelledComments.LoadHonest();
        Assert.True(honest.Count >= 600, $"{honest.Count} honest comments; at least 600 are needed");
        Assert.True(honest.Select(c => c.Draft).Distinct().Count() >= 6);
        Assert.Equal(honest.Count, honest.Select(c => c.Text).Distinct().Count());
        // Uneven concern sizes with singletons, as real consultations have.
        foreach (var draft in honest.GroupBy(c => c.Draft))
        {
            var sizes = draft.GroupBy(c => c.Label).Select(g => g.Count()).ToList();
            Assert.Contains(1, sizes);
            Assert.True(sizes.Max() >= 3 * sizes.Min());
        }
    }

    [Fact]
    public void A_simulated_reviewers_ten_fixes_raise_f1_on_the_honest_set()
    {
        var clusterer = new CommentClusterer();
        var (before, after) = (new ClusteringQuality(0, 0, 0), new ClusteringQuality(0, 0, 0));
        foreach (var draft in LabelledComments.LoadHonest().GroupBy(c => c.Draft))
        {
            var inputs = draft.Select(c => new ClusterInput(c.Text)).ToList();
            var labels = draft.Select(c => c.Label).ToList();
            var first = clusterer.Cluster(inputs);
            before += ClusteringQuality.Measure(labels, first.Assignment);
            after += ClusteringQuality.Measure(labels, clusterer.Cluster(inputs, SimulatedReviewer.Fix(labels, first.Assignment, 10)).Assignment);
        }
        Assert.True(after.F1 > before.F1 + 0.1, $"F1 {before.F1:F3} before the fixes, {after.F1:F3} after");
    }

    [Fact]
    public void Clustering_the_honest_set_keeps_precision_and_recall_at_or_above_its_baseline()
    {
        var baseline = LabelledComments.Baseline().Honest!;
        var total = new ClusteringQuality(0, 0, 0);
        foreach (var draft in LabelledComments.LoadHonest().GroupBy(c => c.Draft))
        {
            var result = new CommentClusterer().Cluster(draft.Select(c => new ClusterInput(c.Text)).ToList());
            total += ClusteringQuality.Measure(draft.Select(c => c.Label).ToList(), result.Assignment);
        }
        Assert.True(total.Precision >= baseline.Precision, $"precision {total.Precision:F3} fell below the baseline {baseline.Precision:F3}");
        Assert.True(total.Recall >= baseline.Recall, $"recall {total.Recall:F3} fell below the baseline {baseline.Recall:F3}");
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
