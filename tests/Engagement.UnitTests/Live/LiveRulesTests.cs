using Engagement.Web.Features.Live;

namespace Engagement.UnitTests.Live;

public sealed class LiveRulesTests
{
    [Fact]
    public void Join_codes_are_six_characters_without_look_alikes()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => LiveRules.NewJoinCode()).ToList();
        Assert.All(codes, c => Assert.Matches("^[A-HJKMNP-Z2-9]{6}$", c));
        Assert.True(codes.Distinct().Count() > 1990);
    }

    [Theory]
    [InlineData(" demo26 ", "DEMO26")]
    [InlineData("dem-o2 6", "DEMO26")]
    [InlineData(null, "")]
    public void Codes_are_read_as_people_type_them(string? typed, string expected) => Assert.Equal(expected, LiveRules.NormalizeCode(typed));

    [Theory]
    [InlineData("  停车位\r\n\t怎么申请？ ", "停车位 怎么申请？")]
    [InlineData("零\u200b宽\u0007字符", "零宽字符")]
    [InlineData("<script>alert(1)</script>", "<script>alert(1)</script>")] // kept as text; every view escapes it
    public void Questions_become_plain_text_on_one_line(string input, string expected) => Assert.Equal(expected, LiveRules.CleanText(input));

    [Theory]
    [InlineData("这里有违禁词", "违禁词")]
    [InlineData("这里有违 禁-词", "违禁词")]
    [InlineData("ＢＡＤ word", "bad")]
    [InlineData("一个正常的问题", null)]
    public void Blocked_words_are_found_through_spacing_width_and_case(string text, string? expected) =>
        Assert.Equal(expected, LiveRules.FindBlockedWord(text, ["违禁词", "bad"]));

    [Fact]
    public void Personal_data_in_a_question_is_masked() =>
        Assert.DoesNotContain("13812345678", LiveRules.MaskPersonalData("请回电13812345678"));
}
