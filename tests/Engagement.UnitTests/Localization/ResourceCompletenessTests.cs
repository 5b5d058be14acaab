using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Engagement.UnitTests.Localization;

/// <summary>Every string a view or the code asks for exists in Chinese and in English.</summary>
public sealed partial class ResourceCompletenessTests
{
    private static readonly string Web = Path.Combine(FindRepositoryRoot(), "src", "Engagement.Web");
    private static readonly string[] Languages = ["zh-CN", "en"];

    public static TheoryData<string> Views()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Web, "Features"), "*.cshtml", SearchOption.AllDirectories))
        {
            if (ViewKey().IsMatch(File.ReadAllText(file))) data.Add(Path.GetRelativePath(Web, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Views))]
    public void Every_key_a_view_uses_is_in_both_languages(string view)
    {
        var keys = ViewKey().Matches(File.ReadAllText(Path.Combine(Web, view))).Select(m => m.Groups[1].Value)
            .Where(k => !k.EndsWith('.')) // a prefix completed at run time (Role., Kind.): checked below by its known values
            .Distinct();
        var resource = Path.Combine(Web, "Resources", Path.ChangeExtension(view, null));
        foreach (var language in Languages)
        {
            var present = Keys($"{resource}.{language}.resx");
            Assert.All(keys, key => Assert.True(present.Contains(key), $"{view}: \"{key}\" is missing in {language}"));
        }
    }

    [Fact]
    public void Each_view_has_the_same_keys_in_both_languages()
    {
        foreach (var zh in Directory.EnumerateFiles(Path.Combine(Web, "Resources"), "*.zh-CN.resx", SearchOption.AllDirectories))
        {
            var en = zh.Replace(".zh-CN.resx", ".en.resx");
            Assert.True(File.Exists(en), $"{en} is missing");
            Assert.Equal(Keys(zh).Order(), Keys(en).Order());
        }
    }

    [Fact]
    public void Every_shared_key_the_code_uses_is_in_both_languages()
    {
        var used = new HashSet<string>();
        foreach (var file in Directory.EnumerateFiles(Web, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
        {
            var code = File.ReadAllText(file);
            used.UnionWith(SharedKey().Matches(code).Select(m => m.Groups[1].Value));
            used.UnionWith(AnnotationKey().Matches(code).Select(m => m.Groups[1].Value));
        }
        Assert.NotEmpty(used);
        foreach (var language in Languages)
        {
            var present = Keys(Path.Combine(Web, "Resources", "Platform", $"SharedResource.{language}.resx"));
            Assert.All(used, key => Assert.True(present.Contains(key), $"shared \"{key}\" is missing in {language}"));
        }
    }

    [Fact]
    public void Dynamic_role_and_unit_kind_keys_exist()
    {
        var roles = new[] { "Resident", "Host", "Staff", "Admin" }.Select(r => "Role." + r);
        var kinds = Enum.GetNames<Engagement.Web.Features.Admin.UnitKind>().Select(k => "Kind." + k);
        foreach (var language in Languages)
        {
            Assert.Superset(roles.ToHashSet(), Keys(Path.Combine(Web, "Resources", "Features", "Admin", "Views", "Admin", $"Users.{language}.resx")));
            Assert.Superset(kinds.ToHashSet(), Keys(Path.Combine(Web, "Resources", "Features", "Admin", "Views", "Admin", $"Units.{language}.resx")));
        }
    }

    public static TheoryData<string, string> DynamicKeys()
    {
        var outcomes = Enum.GetValues<Engagement.Web.Features.Adoption.CommentOutcome>().Select(o => "Outcome." + Engagement.Web.Features.Adoption.AdoptionRules.Code(o));
        var channels = Enum.GetValues<Engagement.Web.Features.Consultation.CommentChannel>().Select(c => "Channel." + Engagement.Web.Features.Adoption.AdoptionRules.Code(c));
        var categories = Enum.GetValues<Engagement.Web.Features.Meetings.ApplicantCategory>().Select(c => "Category." + Engagement.Web.Features.Meetings.RepresentativeDraw.Code(c));
        var standings = Enum.GetNames<Engagement.Web.Features.Meetings.DrawStanding>().Select(s => "Standing." + s);
        var connections = Enum.GetNames<Engagement.Web.Features.Meetings.DistrictConnection>().Select(c => "Connection." + c);
        var data = new TheoryData<string, string>();
        void Add(string resource, IEnumerable<string> keys) { foreach (var key in keys) data.Add(resource, key); }
        Add("Features/Adoption/Views/Reports/Index", [.. outcomes, .. channels]);
        Add("Features/Adoption/Views/StaffReports/Review", [.. outcomes, .. channels]);
        Add("Platform/SharedResource", [.. outcomes, "Reason.declined", "Reason.not-confirmed"]);
        Add("Features/Meetings/Views/Meetings/Details", [.. categories, .. standings, .. connections, .. outcomes, "Kind.executive", "Kind.unit-head", "Reason.declined", "Reason.not-confirmed"]);
        Add("Features/Meetings/Views/Meetings/Index", ["Kind.executive", "Kind.unit-head"]);
        Add("Features/Meetings/Views/StaffMeetings/Manage", [.. categories, .. standings, .. connections, .. outcomes]);
        Add("Features/Consultation/Views/Decisions/Details", outcomes.Select(o => "Rep" + o));
        Add("Features/OpenMonth/Views/Questionnaire/Build", Enum.GetNames<Engagement.Web.Features.OpenMonth.QuestionKind>().Select(k => "Kind." + k));
        Add("Features/OpenMonth/Views/Themes/Index", Enum.GetNames<Engagement.Web.Features.OpenMonth.ProposalStatus>().Select(k => "Status." + k));
        Add("Features/OpenMonth/Views/Events/Index", [
            .. Enum.GetNames<Engagement.Web.Features.OpenMonth.ThemeArea>().Select(t => "Theme." + t), .. Enumerable.Range(0, 7).Select(d => "Day." + d)]);
        Add("Features/OpenMonth/Views/StaffEvents/Index", [
            .. Enum.GetNames<Engagement.Web.Features.OpenMonth.ThemeArea>().Select(t => "Theme." + t),
            .. Enum.GetNames<Engagement.Web.Features.OpenMonth.EventSegments>().Where(s => s != "None").Select(s => "Segment." + s)]);
        Add("Features/OpenMonth/Views/Events/Details", [
            .. Enum.GetNames<Engagement.Web.Features.OpenMonth.ThemeArea>().Select(t => "Theme." + t),
            .. Enum.GetNames<Engagement.Web.Features.OpenMonth.EventSegments>().Where(s => s != "None").Select(s => "Segment." + s)]);
        Add("Platform/SharedResource", Enum.GetNames<Engagement.Web.Features.Live.LiveRefusal>().Select(r => "Live.Error." + r));
        Add("Platform/SharedResource", Engagement.Web.Features.Live.LiveScriptTexts.Keys.Select(k => "Live.Js." + k));
        var messageStatus = Enum.GetNames<Engagement.Web.Features.Messages.MessageStatus>().Select(k => "Status." + k).ToList();
        var messageKinds = Enum.GetNames<Engagement.Web.Features.Messages.MessageKind>().Select(k => "Kind." + k).ToList();
        Add("Features/Messages/Views/Messages/Mine", messageStatus);
        Add("Features/Messages/Views/StaffMessages/Index", [.. messageStatus, .. messageKinds]);
        Add("Features/Messages/Views/StaffMessages/Details", [.. messageStatus, .. messageKinds,
            .. new[] { "PolicyQuestion", "RequestOrComplaint", "Petition" }.Select(k => "KindHelp." + k)]);
        string[] sources = [Engagement.Web.Features.Faq.FaqService.LiveSource, Engagement.Web.Features.Faq.FaqService.MessageSource,
            Engagement.Web.Features.Faq.FaqService.CommentSource];
        Add("Features/Faq/Views/StaffFaq/Index", [.. sources.Select(s => "Source." + s), "Source." + Engagement.Web.Features.Faq.FaqService.StaffSource,
            .. sources.Select(s => "From." + s)]);
        Add("Platform/SharedResource", new[] { "Replied", "Transferred", "Soon", "Due", "Overdue" }
            .SelectMany(k => new[] { $"Mail.Message{k}.Subject", $"Mail.Message{k}.Body" }));
        return data;
    }

    [Theory]
    [MemberData(nameof(DynamicKeys))]
    public void Keys_completed_at_run_time_exist_for_every_value(string resource, string key)
    {
        foreach (var language in Languages)
        {
            Assert.Contains(key, Keys(Path.Combine(Web, "Resources", resource + $".{language}.resx")));
        }
    }

    [Fact]
    public void Every_calendar_file_error_has_a_text_in_both_languages()
    {
        foreach (var language in Languages)
        {
            var present = Keys(Path.Combine(Web, "Resources", "Platform", $"SharedResource.{language}.resx"));
            Assert.All(Engagement.Web.Features.Calendar.HolidayCalendarFile.English.Keys,
                code => Assert.True(present.Contains("CalendarFile." + code), $"CalendarFile.{code} is missing in {language}"));
        }
    }

    private static HashSet<string> Keys(string resx)
    {
        Assert.True(File.Exists(resx), $"{resx} is missing");
        return XDocument.Load(resx).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet();
    }

    [GeneratedRegex(@"L\[""([^""]+)""")]
    private static partial Regex ViewKey();

    [GeneratedRegex("""text\["([^"]+)"\]""")]
    private static partial Regex SharedKey();

    [GeneratedRegex(@"(?:ErrorMessage|Name) = ""((?:Validation|Field)\.[^""]+)""")]
    private static partial Regex AnnotationKey();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Engagement.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Engagement.sln not found");
    }
}
