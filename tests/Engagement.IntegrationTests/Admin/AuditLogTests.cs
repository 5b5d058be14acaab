using System.Text.RegularExpressions;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Admin;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Admin;

/// <summary>The audit log reads as sentences: who did what to which item, with each field's change, filtered and downloaded.</summary>
public sealed class AuditLogTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task A_change_reads_as_what_was_done_to_which_item_field_by_field_and_its_history_and_download_follow_the_filter()
    {
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        // A change to a unit, through its page.
        var units = await admin.GetPageAsync("/admin/units");
        var unit = await factory.WithDbAsync(db => db.Units.SingleAsync(u => u.Name == "区民政局"));
        var edit = await admin.GetPageAsync($"/admin/units?edit={unit.Id}");
        await admin.SubmitAsync(edit, "/admin/units", new Dictionary<string, string> { ["NameEn"] = "Civil Affairs Bureau of Changning" });

        var page = await admin.GetPageAsync($"/admin/audit?Entity=Unit&Item={unit.Id}");
        var row = page.QuerySelector(".audit-table tbody tr")!;
        var what = row.QuerySelector(".audit-what")!.TextContent;
        Assert.Contains("修改了单位", what);
        Assert.Contains($"单位 {unit.Id}", what);
        Assert.Equal($"/admin/units?edit={unit.Id}", row.QuerySelector(".audit-what a")!.GetAttribute("href"));
        var change = row.QuerySelector(".audit-changes li")!.TextContent;
        Assert.Contains("英文名称", change);
        Assert.Contains("Civil Affairs Bureau of Changning", change);
        // Codes and JSON stay out of sight, but the code is there for whoever needs it.
        Assert.DoesNotContain("{\"", row.TextContent);
        Assert.Equal("unit.update", row.QuerySelector(".audit-what small")!.TextContent);
        Assert.All(page.QuerySelectorAll(".audit-table tbody tr"), r => Assert.Contains($"单位 {unit.Id}", r.TextContent));

        // The same rows as CSV, in words, with a byte-order mark for spreadsheets.
        var csv = await admin.GetAsync(page.QuerySelector("#audit-csv")!.GetAttribute("href")!);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length > 1
            ? text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries) : text.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\"时间\",\"操作人\",\"做了什么\"", lines[0]);
        Assert.Equal(page.QuerySelectorAll(".audit-table tbody tr").Length, lines.Length - 1);
        Assert.Contains("修改了单位", lines[1]);
    }

    [Fact]
    public void Every_action_the_site_records_is_listed_and_has_words_in_both_languages()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Engagement.sln"))) root = Path.GetDirectoryName(root)!;
        var source = string.Join("\n", Directory.EnumerateFiles(Path.Combine(root, "src", "Engagement.Web"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        // Actions are written as "area.verb" literals where they are recorded (audit.Record, ChangeQuestionAsync, the commands).
        var recorded = Regex.Matches(source, "\"((?:account|application|calendar|catalog|cluster|comment|consultation|decision|document|event|faq|live|meeting|message|poll|registration|report|seat|theme|unit|user)(?:\\.[a-z\\-]+)+)\"")
            .Select(m => m.Groups[1].Value)
            .Where(a => !Regex.IsMatch(a, @"\.(js|ics|csv|json|svg|pdf|html)$"))
            .Distinct().Order().ToList();
        Assert.NotEmpty(recorded);
        Assert.Empty(recorded.Except(AuditText.Actions));
        foreach (var culture in new[] { "zh-CN", "en" })
        {
            var resx = File.ReadAllText(Path.Combine(root, "src", "Engagement.Web", "Resources", "Platform", $"SharedResource.{culture}.resx"));
            Assert.DoesNotContain(AuditText.Actions, a => !resx.Contains($"name=\"Audit.Action.{a}\""));
        }
    }
}
