using Engagement.Web.Features.Admin;
using Engagement.Web.Platform.Hosting;
using Microsoft.Extensions.Configuration;

namespace Engagement.UnitTests.Platform;

public sealed class UnitImportTests
{
    [Fact]
    public void Csv_with_chinese_kinds_quotes_and_a_bom_reads_every_unit()
    {
        var (units, errors) = UnitImport.Parse("units.csv",
            "\uFEFFname,nameEn,kind\r\n区民政局,Civil Affairs Bureau,委办局\r\n\"华阳路街道\",\"Huayang Road, Subdistrict\",街道\r\n# a note\r\n新泾镇,Xinjing Town,town\r\n区政府办公室,,DistrictOffice\r\n");
        Assert.Empty(errors);
        Assert.Equal(["区民政局", "华阳路街道", "新泾镇", "区政府办公室"], units.Select(u => u.Name));
        Assert.Equal([UnitKind.Bureau, UnitKind.StreetOffice, UnitKind.Town, UnitKind.DistrictOffice], units.Select(u => u.Kind));
        Assert.Equal("Huayang Road, Subdistrict", units[1].NameEn);
    }

    [Fact]
    public void Json_array_reads_like_csv()
    {
        var (units, errors) = UnitImport.Parse("units.json", """[{"name":"区教育局","nameEn":"Education Bureau","kind":"Bureau"},{"Name":"天山路街道","kind":"StreetOffice"}]""");
        Assert.Empty(errors);
        Assert.Equal(2, units.Count);
        Assert.Equal(UnitKind.StreetOffice, units[1].Kind);
    }

    [Theory]
    [InlineData("name,nameEn,kind\n区民政局,Civil Affairs,Ministry\n", "units.csv:2", "not a kind of unit")]
    [InlineData("name,nameEn,kind\n区民政局,Civil Affairs,7\n", "units.csv:2", "not a kind of unit")]
    [InlineData("name,nameEn,kind\n,Nameless,Bureau\n", "units.csv:2", "name is empty")]
    [InlineData("name,nameEn,kind\n区民政局,A,Bureau\n区民政局,B,Bureau\n", "units.csv:3", "already on line 2")]
    [InlineData("unit;kind\n区民政局;Bureau\n", "units.csv", "first line must name the columns")]
    [InlineData("[{\"name\": 3}", "units.csv", "not a JSON array")]
    [InlineData("name,nameEn,kind\n", "units.csv", "no units")]
    public void A_bad_file_names_the_line_and_imports_nothing(string content, string where, string reason)
    {
        var (units, errors) = UnitImport.Parse("units.csv", content);
        Assert.Empty(units);
        Assert.Contains(errors, e => e.Contains(where) && e.Contains(reason));
    }

    [Fact]
    public void One_bad_row_among_good_ones_imports_none()
    {
        var (units, errors) = UnitImport.Parse("units.csv", "name,nameEn,kind\n区民政局,,Bureau\n" + new string('长', 61) + ",,Bureau\n");
        Assert.Empty(units);
        Assert.Single(errors);
    }

    [Fact]
    public void The_shipped_changning_list_imports_cleanly()
    {
        var file = Path.Combine(Root(), "deploy", "units.changning.csv");
        var (units, errors) = UnitImport.Parse("units.changning.csv", File.ReadAllText(file));
        Assert.Empty(errors);
        Assert.Equal(9, units.Count(u => u.Kind == UnitKind.StreetOffice));
        Assert.Single(units, u => u.Kind == UnitKind.Town);
        Assert.Single(units, u => u.Kind == UnitKind.DistrictOffice);
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Engagement.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Engagement.sln not found");
    }
}

public sealed class ConfigurationCheckTests
{
    private static readonly Dictionary<string, string?> Ready = new()
    {
        ["Site:PublicUrl"] = "https://engagement.changning.gov.cn",
        ["AllowedHosts"] = "engagement.changning.gov.cn",
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Engagement"] = "Host=db;Database=engagement;Username=engagement;Password=x",
        ["Smtp:Host"] = "smtp.changning.gov.cn",
        ["Outbox:From"] = "engagement@changning.gov.cn",
        ["ForwardedHeaders:Enabled"] = "true",
        ["DataProtection:CertificatePath"] = "/etc/engagement/dataprotection.pfx",
    };

    private static IReadOnlyList<ConfigurationFinding> Inspect(params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>(Ready);
        foreach (var (key, value) in changes) values[key] = value;
        return ConfigurationCheck.Inspect(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), "/opt/engagement/current");
    }

    [Fact]
    public void A_complete_production_configuration_has_no_finding()
    {
        Assert.All(Inspect(), f => Assert.Equal(FindingLevel.Ok, f.Level));
    }

    [Theory]
    [InlineData("Site:PublicUrl", null)]
    [InlineData("Site:PublicUrl", "engagement.changning.gov.cn")]
    [InlineData("Site:PublicUrl", "https://engagement.changning.gov.cn/site")]
    [InlineData("AllowedHosts", "*")]
    [InlineData("AllowedHosts", "other.example.org")]
    [InlineData("ConnectionStrings:Engagement", "")]
    [InlineData("Database:Provider", "Oracle")]
    public void The_site_refuses_to_start_on(string key, string? value)
    {
        Assert.Contains(Inspect((key, value)), f => f.Level == FindingLevel.Error && f.Key == key);
    }

    [Theory]
    [InlineData("Smtp:Host", null)]
    [InlineData("Outbox:From", null)]
    [InlineData("ForwardedHeaders:Enabled", "false")]
    [InlineData("Security:SecureCookies", "false")]
    [InlineData("DataProtection:CertificatePath", null)]
    [InlineData("Demo:Enabled", "true")]
    [InlineData("Site:PublicUrl", "http://engagement.changning.gov.cn")]
    public void Check_config_calls_unsafe(string key, string? value)
    {
        var findings = Inspect((key, value));
        Assert.Contains(findings, f => f.Level == FindingLevel.Warning);
        Assert.DoesNotContain(findings, f => f.Level == FindingLevel.Error);
    }

    [Fact]
    public void A_sqlite_file_inside_the_application_folder_is_unsafe_and_one_outside_is_not()
    {
        var inside = Inspect(("Database:Provider", "Sqlite"), ("ConnectionStrings:Engagement", "Data Source=App_Data/engagement.db"));
        Assert.Contains(inside, f => f.Key == "ConnectionStrings:Engagement" && f.Level == FindingLevel.Warning && f.Message.Contains("/opt/engagement/current/App_Data/engagement.db"));
        var outside = Inspect(("Database:Provider", "Sqlite"), ("ConnectionStrings:Engagement", "Data Source=/var/lib/engagement/engagement.db"));
        Assert.Contains(outside, f => f.Key == "ConnectionStrings:Engagement" && f.Level == FindingLevel.Ok);
    }

    [Fact]
    public void Kestrel_serving_https_itself_needs_no_forwarded_headers()
    {
        Assert.All(Inspect(("ForwardedHeaders:Enabled", "false"), ("urls", "https://0.0.0.0:443")), f => Assert.Equal(FindingLevel.Ok, f.Level));
    }
}

public sealed class ContentRootTests
{
    [Fact]
    public void A_published_site_is_its_own_folder_whatever_the_working_directory()
    {
        var published = Directory.CreateTempSubdirectory("engagement-published-").FullName;
        try
        {
            Assert.Equal(published, ContentRoot.ApplicationDirectory(published + "/").TrimEnd('/'));
        }
        finally { Directory.Delete(published, true); }
    }

    [Fact]
    public void A_site_run_from_source_uses_its_project_folder()
    {
        var project = Directory.CreateTempSubdirectory("engagement-project-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(project, "Engagement.Web.csproj"), "<Project />");
            var binaries = Directory.CreateDirectory(Path.Combine(project, "bin", "Release", "net10.0")).FullName;
            Assert.Equal(project, ContentRoot.ApplicationDirectory(binaries + "/"));
        }
        finally { Directory.Delete(project, true); }
    }
}
