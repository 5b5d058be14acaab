using System.Text.Json;
using Engagement.Web.Platform.Privacy;

namespace Engagement.UnitTests.Platform;

/// <summary>
/// tests/data/privacy: personal data written the way people write it (groups, dots, two spaces, brackets, Chinese
/// numerals and 幺, circled and mathematical digits, full-width @ and 。, "at"/"dot", invisible characters), each with
/// the masked form expected, and innocent look-alikes (dates, document numbers, amounts, article and building numbers)
/// that must come out untouched.
/// </summary>
public sealed class PrivacyCorpusTests
{
    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Engagement.sln"))) return Path.Combine(dir.FullName, "tests", "data", "privacy");
        }
        throw new InvalidOperationException("Engagement.sln not found");
    }

    private sealed record Case(string Kind, string Text, string Masked);

    private static List<Case> Personal() =>
        JsonSerializer.Deserialize<List<Case>>(File.ReadAllText(Path.Combine(Folder(), "personal.json")), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    [Fact]
    public void Every_written_variant_of_personal_data_is_masked_as_expected_and_only_there()
    {
        var cases = Personal();
        Assert.True(cases.Count >= 400, $"the corpus holds {cases.Count} variants");
        var wrong = cases.Select(c => (Case: c, Result: PersonalDataMasker.Mask(c.Text)))
            .Where(x => x.Result.Masked != x.Case.Masked || x.Result.Found.Count != 1 || x.Result.Found[0].Kind.ToString() != x.Case.Kind)
            .Select(x => $"{x.Case.Kind}: {x.Case.Text}\n  expected {x.Case.Masked}\n  got      {x.Result.Masked} [{string.Join(",", x.Result.Found.Select(f => f.Kind))}]")
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases.Count} variants masked wrongly:\n" + string.Join("\n", wrong.Take(40)));
    }

    [Fact]
    public void Innocent_look_alikes_come_out_untouched()
    {
        var texts = JsonSerializer.Deserialize<List<string>>(File.ReadAllText(Path.Combine(Folder(), "innocent.json")))!;
        Assert.True(texts.Count >= 400, $"the corpus holds {texts.Count} look-alikes");
        var touched = texts.Select(t => (Text: t, Result: PersonalDataMasker.Mask(t)))
            .Where(x => x.Result.Masked != x.Text || x.Result.HasPersonalData)
            .Select(x => $"{x.Text}\n  became {x.Result.Masked} [{string.Join(",", x.Result.Found.Select(f => f.Kind))}]").ToList();
        Assert.True(touched.Count == 0, $"{touched.Count} of {texts.Count} innocent texts were masked:\n" + string.Join("\n", touched.Take(40)));
    }

    [Fact]
    public void Each_kind_is_in_the_corpus_many_times()
    {
        var kinds = Personal().GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(Enum.GetNames<PersonalDataKind>(), kind => Assert.True(kinds.GetValueOrDefault(kind) >= 40, $"{kind}: {kinds.GetValueOrDefault(kind)} variants"));
    }
}

public sealed class PersonalDataMaskerHostileTests
{
    [Theory]
    [InlineData("电话13800138000\uD835")]          // a mathematical digit cut in half
    [InlineData("\uDC00\uD800\uDFFF")]             // lone and reversed surrogates
    [InlineData("")]
    public void Broken_text_is_masked_without_failing(string text)
    {
        var result = PersonalDataMasker.Mask(text);
        Assert.Equal(text.Length, result.Masked.Length);
    }

    [Fact]
    public void A_long_number_of_no_known_kind_is_left_but_shown_to_the_moderator()
    {
        var result = PersonalDataMasker.Mask("订单号310105198001011239，备案号 4401 0602 0000 123");
        Assert.False(result.HasPersonalData);
        Assert.Equal(2, result.Unrecognised.Count);
        Assert.Equal("310105198001011239", "订单号310105198001011239，备案号 4401 0602 0000 123".Substring(result.Unrecognised[0].Start, result.Unrecognised[0].Length));
    }
}

public sealed class NumberBoundaryTests
{
    [Theory]
    [InlineData("我的手机 13900001111。（3f2a1b）", "我的手机 139****1111。（3f2a1b）")]
    [InlineData("电话13900001111.3号楼门口见", "电话139****1111.3号楼门口见")]
    [InlineData("手机13900001111，2号线换乘", "手机139****1111，2号线换乘")]
    public void A_whole_number_is_not_joined_to_the_next_one_across_punctuation(string text, string expected)
    {
        Assert.Equal(expected, PersonalDataMasker.Mask(text).Masked);
    }
}
