namespace Engagement.Web.Features.Adoption;

/// <summary>
/// Pairwise precision and recall of a clustering against hand labels: of the pairs put together, how many belong
/// together (precision); of the pairs that belong together, how many were put together (recall).
/// </summary>
public sealed record ClusteringQuality(long TruePairs, long PredictedPairs, long CorrectPairs)
{
    public double Precision => PredictedPairs == 0 ? 1 : CorrectPairs / (double)PredictedPairs;
    public double Recall => TruePairs == 0 ? 1 : CorrectPairs / (double)TruePairs;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public static ClusteringQuality Measure<TLabel>(IReadOnlyList<TLabel> labels, IReadOnlyList<int> assignment) where TLabel : notnull
    {
        if (labels.Count != assignment.Count) throw new ArgumentException("One label per assignment is needed.");
        static long Pairs(long n) => n * (n - 1) / 2;
        var truth = labels.GroupBy(l => l).Sum(g => Pairs(g.Count()));
        var predicted = assignment.GroupBy(a => a).Sum(g => Pairs(g.Count()));
        var correct = labels.Zip(assignment).GroupBy(p => p).Sum(g => Pairs(g.Count()));
        return new ClusteringQuality(truth, predicted, correct);
    }

    public static ClusteringQuality operator +(ClusteringQuality a, ClusteringQuality b) =>
        new(a.TruePairs + b.TruePairs, a.PredictedPairs + b.PredictedPairs, a.CorrectPairs + b.CorrectPairs);
}
