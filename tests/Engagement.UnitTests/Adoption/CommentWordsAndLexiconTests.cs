using Engagement.Web.Features.Adoption;

namespace Engagement.UnitTests.Adoption;

public sealed class CommentWordsAndLexiconTests
{
    [Theory]
    [InlineData("我们小区要加装电梯，补贴太少", "加装电梯")]
    [InlineData("办证能不能在一网通办上直接办", "一网通办")]
    [InlineData("居委会从来不通知", "居委会")]
    [InlineData("天山路街道的菜场要改造", "天山路街道")]
    public void Segmentation_keeps_government_and_Shanghai_terms_whole(string text, string term) =>
        Assert.Contains(term, CommentWords.Of(text));

    [Fact]
    public void Segmentation_leaves_out_stock_phrases_punctuation_and_numbers()
    {
        var words = CommentWords.Of("建议：希望１２号楼的摊位费不要再涨了！谢谢");
        Assert.Contains("摊位费", words);
        Assert.DoesNotContain("建议", words);
        Assert.DoesNotContain("希望", words);
        Assert.DoesNotContain("谢谢", words);
        Assert.DoesNotContain(words, w => w.Any(char.IsPunctuation) || w.All(char.IsDigit));
    }

    [Fact]
    public void The_district_lexicon_reads_residents_words_for_the_same_thing_as_one()
    {
        var lexicon = Lexicon.Default;
        Assert.True(lexicon.Groups >= 250);
        Assert.True(lexicon.AreEquivalent("老人", "老年人"));
        Assert.True(lexicon.AreEquivalent("摊位费", "租金"));
        Assert.False(lexicon.AreEquivalent("老人", "租金"));
        Assert.Null(lexicon.ConceptOf("房钿"));
    }

    [Fact]
    public void A_units_confirmed_group_joins_the_district_group_it_shares_a_word_with()
    {
        var lexicon = Lexicon.Default.With([["房钿", "摊位费"]]);
        Assert.True(lexicon.AreEquivalent("房钿", "租金"));
        Assert.Equal(lexicon.ConceptOf("租金"), lexicon.ConceptOf("房钿"));
        // The district lexicon itself is unchanged.
        Assert.False(Lexicon.Default.AreEquivalent("房钿", "租金"));
    }

    [Fact]
    public void Two_groups_bridged_by_a_confirmed_group_become_one()
    {
        var lexicon = Lexicon.Parse("# test\n甲 乙\n丙 丁 # note\n").With([["乙", "丙"]]);
        Assert.True(lexicon.AreEquivalent("甲", "丁"));
        Assert.Equal(1, lexicon.Words.Select(lexicon.ConceptOf).Distinct().Count());
    }

    [Fact]
    public void The_lexicon_file_has_each_word_in_one_group_and_states_its_source()
    {
        var text = File.ReadAllText(Path.Combine(LabelledComments.Folder, "..", "..", "..", "src", "Engagement.Web", "Features", "Adoption", "Lexicon", "synonyms.txt"));
        Assert.Contains("# Source:", text);
        var words = text.Split('\n').Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(words.Count, words.Distinct().Count());
    }
}

public sealed class EquivalenceSuggestionsTests
{
    private static readonly Dictionary<long, string> Texts = new()
    {
        [1] = "摊位费一年比一年高，小摊贩吃不消。",
        [2] = "摊位费又要涨，摊贩都说撑不住了。",
        [3] = "房钿再涨下去，小摊头做不下去了。",
        [4] = "房钿再涨只好收摊回老家。",
        [5] = "菜场开门太晚，老人早上买不到菜。",
        [6] = "地面湿滑，老人容易摔跤。",
        [7] = "送货车堵在门口。",
    };

    [Fact]
    public void Words_seen_across_staffs_must_links_are_suggested_strongest_first()
    {
        var suggestions = EquivalenceSuggestions.Suggest(Texts, [(3, 1), (3, 2), (4, 1), (4, 2)], Lexicon.Default, new HashSet<string>());
        var first = suggestions[0];
        Assert.Equal(["房钿", "摊位费"], first.Words.Order(StringComparer.Ordinal));
        Assert.Equal(4, first.Support);
    }

    [Fact]
    public void Nothing_is_suggested_without_must_links_or_once_decided_or_already_equivalent()
    {
        Assert.Empty(EquivalenceSuggestions.Suggest(Texts, [], Lexicon.Default, new HashSet<string>()));
        var decided = new HashSet<string> { EquivalenceSuggestions.Key(["摊位费", "房钿"]) };
        Assert.DoesNotContain(EquivalenceSuggestions.Suggest(Texts, [(3, 1), (3, 2), (4, 1), (4, 2)], Lexicon.Default, decided),
            s => s.Words.Contains("房钿") && s.Words.Contains("摊位费"));
        var known = Lexicon.Default.With([["房钿", "租金"]]);
        Assert.DoesNotContain(EquivalenceSuggestions.Suggest(Texts, [(3, 1), (3, 2), (4, 1), (4, 2)], known, new HashSet<string>()),
            s => s.Words.Contains("房钿") && s.Words.Contains("摊位费"));
    }

    [Fact]
    public void A_single_pair_of_comments_is_not_enough_evidence()
    {
        Assert.Empty(EquivalenceSuggestions.Suggest(Texts, [(3, 1)], Lexicon.Default, new HashSet<string>()));
    }

    [Theory]
    [InlineData(new[] { "房钿", "租金" }, true)]
    [InlineData(new[] { "房钿" }, false)]
    [InlineData(new[] { "房钿", "房钿" }, false)]
    [InlineData(new[] { "房 钿", "租金" }, false)]
    [InlineData(new[] { "", "租金" }, false)]
    [InlineData(new[] { "我们", "租金" }, false)]
    [InlineData(new[] { "房钿\u0000", "租金" }, false)]
    public void Only_two_to_eight_distinct_single_words_make_an_equivalence(string[] words, bool valid) =>
        Assert.Equal(valid, EquivalenceSuggestions.IsValid(words));

    [Fact]
    public void A_missing_word_is_refused_not_a_crash() => Assert.False(EquivalenceSuggestions.IsValid(["房钿", null]));
}
