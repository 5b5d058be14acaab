using Engagement.Web.Features.Consultation;

namespace Engagement.UnitTests.Consultation;

public sealed class UnifiedSocialCreditCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("91350100m000100y43")] // case does not matter
    public void A_code_with_the_right_check_character_is_valid(string code)
    {
        Assert.True(UnifiedSocialCreditCode.IsValid(code));
    }

    [Theory]
    [InlineData("91350100M000100Y44")] // wrong check character
    [InlineData("91350100M000100Y4")] // 17 characters
    [InlineData("91350100M000100Y433")] // 19 characters
    [InlineData("9135010OM000100Y43")] // O is not allowed
    [InlineData("")]
    [InlineData(null)]
    public void Other_codes_are_invalid(string? code)
    {
        Assert.False(UnifiedSocialCreditCode.IsValid(code));
    }

    [Fact]
    public void The_check_character_follows_GB_32100()
    {
        Assert.Equal('3', UnifiedSocialCreditCode.CheckCharacter("91350100M000100Y4"));
        Assert.Equal('H', UnifiedSocialCreditCode.CheckCharacter("91310000132209486"));
    }
}

public sealed class CommentTextTests
{
    [Fact]
    public void The_same_text_in_other_spacing_width_or_case_is_the_same_comment()
    {
        Assert.Equal(Comments.Hash("建议 提高补贴 ABC"), Comments.Hash("  建议   提高补贴\nａｂｃ "));
        Assert.NotEqual(Comments.Hash("建议提高补贴"), Comments.Hash("建议降低补贴"));
    }

    [Fact]
    public void Invisible_and_direction_changing_characters_are_removed_but_markup_is_kept_as_text()
    {
        Assert.Equal("abc", Comments.Clean("a\u200Bb\u202Ec\u0007"));
        Assert.Equal("<script>alert(1)</script>", Comments.Clean("<script>alert(1)</script>"));
        Assert.Equal("第一行\n第二行", Comments.Clean("第一行\r\n第二行"));
    }

    [Fact]
    public void A_draft_is_numbered_by_blank_line_paragraphs()
    {
        Assert.Equal(["第一条　甲", "第二条　乙\n续行", "第三条　丙"], DraftParagraphs.Split("第一条　甲\n\n第二条　乙\n续行\r\n\r\n\n第三条　丙\n"));
    }

    [Fact]
    public void A_consultation_whose_period_ended_is_under_review()
    {
        var now = new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
        var decision = new Decision { Status = DecisionStatus.OpenForComment, ConsultationOpensAt = now.AddDays(-30), ConsultationClosesAt = now.AddDays(-1) };
        Assert.Equal(DecisionStatus.UnderReview, decision.EffectiveStatus(now));
        Assert.False(decision.IsOpenForComment(now));
        decision.ConsultationClosesAt = now.AddDays(1);
        Assert.Equal(DecisionStatus.OpenForComment, decision.EffectiveStatus(now));
        Assert.True(decision.IsOpenForComment(now));
    }
}
