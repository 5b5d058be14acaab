namespace Engagement.Web.Features.Adoption;

/// <summary>
/// A careful official correcting a clustering against the truth, as staff do on the review page, for measuring what
/// their corrections are worth. Each cluster's comments of one concern that sit away from that concern's home (the
/// cluster holding most of it) are a mistake fixed by a move (a merge when they are the whole cluster); a concern
/// sharing its home with a bigger one is a mistake fixed by a split. The largest mistakes are fixed first, and each
/// fix is recorded the way the site records a move: must-links to the target, a cannot-link to where it came from.
/// </summary>
public static class SimulatedReviewer
{
    public static ClusterConstraints Fix<TLabel>(IReadOnlyList<TLabel> labels, IReadOnlyList<int> assignment, int mistakes) where TLabel : notnull
    {
        var members = Enumerable.Range(0, labels.Count).GroupBy(i => assignment[i]).ToDictionary(g => g.Key, g => g.ToList());
        TLabel MajorityOf(int cluster) => members[cluster].GroupBy(i => labels[i]).OrderByDescending(g => g.Count()).ThenBy(g => g.Min()).First().Key;
        var home = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i])
            .ToDictionary(g => g.Key, g => g.GroupBy(i => assignment[i]).OrderByDescending(c => c.Count()).ThenBy(c => c.Min()).First().Key);

        var found = new List<(List<int> Comments, int? Target, int? From)>();
        foreach (var (cluster, list) in members)
        {
            var majority = MajorityOf(cluster);
            foreach (var concern in list.GroupBy(i => labels[i]))
            {
                var group = concern.ToList();
                int? anchorFrom = concern.Key.Equals(majority) ? null : list.First(i => labels[i].Equals(majority));
                if (home[concern.Key] != cluster)
                {
                    // Belongs with the rest of its concern: a move (a merge when it is all of this cluster).
                    var anchor = members[home[concern.Key]].First(i => labels[i].Equals(concern.Key));
                    found.Add((group, anchor, anchorFrom));
                }
                else if (!concern.Key.Equals(majority))
                {
                    // Its home is lumped with a bigger concern: a split.
                    found.Add((group, null, anchorFrom));
                }
            }
        }

        var mustLink = new List<(int, int)>();
        var cannotLink = new List<(int, int)>();
        foreach (var (comments, target, from) in found.OrderByDescending(f => f.Comments.Count).ThenBy(f => f.Comments[0]).Take(mistakes))
        {
            var anchor = target ?? comments[0];
            foreach (var c in comments) if (c != anchor) mustLink.Add((c, anchor));
            if (from is { } source) cannotLink.Add((comments[0], source));
        }
        return new ClusterConstraints(mustLink, cannotLink);
    }
}
