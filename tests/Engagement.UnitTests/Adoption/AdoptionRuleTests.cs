using Engagement.Web.Features.Adoption;

namespace Engagement.UnitTests.Adoption;

public sealed class AdoptionRuleTests
{
    private static readonly AdoptionOptions Defaults = new();

    [Theory]
    [InlineData(10, 500, true)]  // the configured number, whatever the share
    [InlineData(3, 20, true)]    // 15% of all
    [InlineData(2, 20, true)]    // exactly 10%
    [InlineData(2, 100, false)]
    [InlineData(1, 5, false)]    // one comment is never "widely" raised
    public void IsWidelyRaised_by_number_or_share(int size, int total, bool expected)
    {
        Assert.Equal(expected, AdoptionRules.IsWidelyRaised(size, total, Defaults));
    }

    [Fact]
    public void Configured_thresholds_apply()
    {
        var strict = new AdoptionOptions { WidelyRaisedCount = 50, WidelyRaisedShare = 0.5 };
        Assert.False(AdoptionRules.IsWidelyRaised(10, 100, strict));
        Assert.True(AdoptionRules.IsWidelyRaised(50, 1000, strict));
    }

    [Theory]
    [InlineData(CommentOutcome.Adopted, null, false)]
    [InlineData(CommentOutcome.NotAdopted, "", true)]
    [InlineData(CommentOutcome.NotAdopted, "与上位法冲突", false)]
    [InlineData(CommentOutcome.PartlyAdopted, "  ", true)]
    [InlineData(null, null, true)]
    public void A_widely_raised_cluster_blocks_publication_unless_adopted_or_explained(CommentOutcome? outcome, string? reason, bool blocks)
    {
        Assert.Equal(blocks, AdoptionRules.BlocksPublication(outcome, reason));
    }

    [Theory]
    [InlineData("adopted", CommentOutcome.Adopted)]
    [InlineData("partly-adopted", CommentOutcome.PartlyAdopted)]
    [InlineData("NotAdopted", CommentOutcome.NotAdopted)]
    [InlineData("OUT-OF-SCOPE", CommentOutcome.OutOfScope)]
    public void Outcome_codes_round_trip(string code, CommentOutcome expected)
    {
        Assert.True(AdoptionRules.TryParseOutcome(code, out var outcome));
        Assert.Equal(expected, outcome);
        Assert.True(AdoptionRules.TryParseOutcome(AdoptionRules.Code(outcome), out var again));
        Assert.Equal(outcome, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("3")]
    [InlineData("maybe")]
    public void Unknown_outcomes_are_refused(string? code) => Assert.False(AdoptionRules.TryParseOutcome(code, out _));
}
