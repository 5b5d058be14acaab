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
}
