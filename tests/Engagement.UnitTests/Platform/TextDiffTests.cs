using Engagement.Web.Platform.Text;

namespace Engagement.UnitTests.Platform;

public sealed class TextDiffTests
{
    [Fact]
    public void Shows_a_changed_paragraph_as_removed_then_added_and_keeps_the_rest()
    {
        var changes = TextDiff.Lines("第一条　甲\n\n第二条　乙\n\n第三条　丙", "第一条　甲\n\n第二条　乙（修改）\n\n第三条　丙\n\n第四条　丁");
        Assert.Equal(
        [
            new DiffLine(DiffKind.Same, "第一条　甲"),
            new DiffLine(DiffKind.Removed, "第二条　乙"),
            new DiffLine(DiffKind.Added, "第二条　乙（修改）"),
            new DiffLine(DiffKind.Same, "第三条　丙"),
            new DiffLine(DiffKind.Added, "第四条　丁"),
        ], changes);
    }

    [Fact]
    public void The_first_version_is_all_added()
    {
        Assert.All(TextDiff.Lines("", "甲\n乙"), l => Assert.Equal(DiffKind.Added, l.Kind));
    }

    [Fact]
    public void Identical_versions_have_no_changes()
    {
        Assert.All(TextDiff.Lines("甲\r\n乙", "甲\n乙  "), l => Assert.Equal(DiffKind.Same, l.Kind));
    }

    [Fact]
    public void A_long_document_with_one_change_keeps_its_common_lines_without_a_huge_table()
    {
        // 3,000 lines each way would be a 9-million-cell table; the common head and tail are set aside first.
        var before = string.Join("\n", Enumerable.Range(0, 3000).Select(i => $"第{i}条　内容{i}"));
        var after = before.Replace("第1500条　内容1500", "第1500条　内容已修改");
        var changes = TextDiff.Lines(before, after);
        Assert.Equal(3001, changes.Count);
        Assert.Equal(2, changes.Count(c => c.Kind != DiffKind.Same));
    }

    [Fact]
    public void Wholly_different_long_documents_are_shown_removed_and_added()
    {
        var before = string.Join("\n", Enumerable.Range(0, 2000).Select(i => $"旧{i}"));
        var after = string.Join("\n", Enumerable.Range(0, 2000).Select(i => $"新{i}"));
        var changes = TextDiff.Lines(before, after);
        Assert.Equal(2000, changes.Count(c => c.Kind == DiffKind.Removed));
        Assert.Equal(2000, changes.Count(c => c.Kind == DiffKind.Added));
    }
}
