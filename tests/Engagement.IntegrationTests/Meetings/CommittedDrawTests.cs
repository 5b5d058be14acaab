using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Meetings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Meetings;

/// <summary>
/// A draw nobody can steer: the secret committed at the freeze stays hidden until the announced lottery result is
/// entered after its time, once; the published JSON then recomputes, by the script in docs/SELECTION.md, to the
/// selection stored; a correction is an admin's, public, and only while nobody has answered.
/// </summary>
public abstract class CommittedDrawTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    /// <summary>A meeting whose window closed yesterday and whose announced draw (2026137) is at <paramref name="drawAt"/>, with five eligible applications.</summary>
    private async Task<int> ClosedMeetingAsync(DateTimeOffset drawAt)
    {
        // Five applicants who can each sign in (the three demo residents and two more).
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Web.Features.Accounts.User>>();
            for (var i = 4; i <= 5; i++)
            {
                var email = $"draw-applicant{i}@example.org";
                if (await users.FindByEmailAsync(email) is not null) continue;
                var user = new Web.Features.Accounts.User { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "报名人" + i, CreatedAt = EngagementFactory.Now };
                Assert.True((await users.CreateAsync(user, EngagementFactory.Password)).Succeeded);
                await users.AddToRoleAsync(user, Web.Features.Accounts.Roles.Resident);
            }
        }
        return await factory.WithDbAsync(async db =>
        {
            var unit = await db.Units.Where(u => u.Name == "区民政局").Select(u => u.Id).SingleAsync();
            var meeting = new Meeting
            {
                Kind = MeetingKind.UnitHead, UnitId = unit, Title = "区民政局局长办公会 " + Guid.NewGuid().ToString("N")[..6], Place = "区民政局 3楼会议室",
                HeldAt = EngagementFactory.Now.AddDays(10), ApplicationsOpenAt = EngagementFactory.Now.AddDays(-10), ApplicationsCloseAt = EngagementFactory.Now.AddDays(-1),
                Seats = 2, SeedSource = "中国福利彩票双色球第 2026137 期开奖结果", CreatedAt = EngagementFactory.Now.AddDays(-11),
                PublicSource = "中国福利彩票双色球", PublicDrawNumber = "2026137", PublicDrawAt = drawAt,
                Quotas = [new() { Position = 1, Category = ApplicantCategory.Resident, Seats = 1 }],
            };
            db.Add(meeting);
            await db.SaveChangesAsync();
            var residents = await db.Users.Where(u => u.Email!.StartsWith("resident") || u.Email!.StartsWith("draw-applicant")).OrderBy(u => u.Email).Select(u => u.Id).ToListAsync();
            Assert.True(residents.Count >= 5);
            for (var i = 0; i < 5; i++)
            {
                db.Add(new RepresentativeApplication
                {
                    MeetingId = meeting.Id, UserId = residents[i], PublicId = MeetingService.NewPublicId(), RealName = "报名人" + i,
                    Phone = "1390000000" + i, Category = i % 2 == 0 ? ApplicantCategory.Resident : ApplicantCategory.SmallBusiness,
                    Connection = DistrictConnection.Lives, ConsentedAt = EngagementFactory.Now.AddDays(-5), CreatedAt = EngagementFactory.Now.AddDays(-5),
                    Status = ApplicationStatus.Eligible,
                });
            }
            await db.SaveChangesAsync();
            return meeting.Id;
        });
    }

    private async Task<string> SecretOfAsync(int id)
    {
        var protectedSecret = await factory.WithDbAsync(db => db.Set<Meeting>().Where(m => m.Id == id).Select(m => m.SecretProtected).SingleAsync());
        Assert.NotNull(protectedSecret);
        return factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Engagement.Meetings.DrawSecret").Unprotect(protectedSecret!);
    }

    private async Task<JsonElement> DrawAsync(int id) => await (await factory.CreateClient().GetAsync($"/api/v1/meetings/{id}/draw")).JsonAsync();

    [Fact]
    public async Task The_result_is_refused_before_its_time_for_another_draw_unreadable_and_a_second_time()
    {
        var id = await ClosedMeetingAsync(EngagementFactory.Now.AddHours(2));
        var staff = await factory.CreateClient().AsAsync("civil@example.org");
        var early = await staff.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = "2026137: 03 07 12 19 25 31 + 09" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("2026-11-23 12:00", (await early.JsonAsync()).GetProperty("detail").GetString());

        // The draw takes place (the shared clock stays put: the announced time is moved before it instead).
        await factory.WithDbAsync(db => db.Set<Meeting>().Where(m => m.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.PublicDrawAt, EngagementFactory.Now.AddMinutes(-5))));
        {
            var wrongDraw = await staff.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = "2026138: 03 07 12 19 25 31 + 09" });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongDraw.StatusCode);
            Assert.Contains("2026137", (await wrongDraw.JsonAsync()).GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await staff.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = "双色球开奖了" })).StatusCode);
            Assert.Null(await factory.WithDbAsync(db => db.Set<Meeting>().Where(m => m.Id == id).Select(m => m.Seed).SingleAsync()));

            Assert.Equal(HttpStatusCode.OK, (await staff.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = "２０２６１３７期：03 07 12 19 25 31 + 09" })).StatusCode);
            var again = await staff.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = "2026137: 03 07 12 19 25 31 + 10" });
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal("2026137 3 7 12 19 25 31 9", (await DrawAsync(id)).GetProperty("normalisedResult").GetString());
            var actions = await factory.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == "Meeting" && a.EntityId == id.ToString()).Select(a => a.Action).ToListAsync());
            Assert.Equal(["meeting.commit", "meeting.draw", "meeting.freeze", "meeting.result", "meeting.reveal"], actions.Order().ToList());
        }
    }

    [Fact]
    public async Task The_secret_is_nowhere_before_the_reveal_and_the_commitment_is_everywhere()
    {
        var id = await ClosedMeetingAsync(EngagementFactory.Now.AddHours(-1));
        var draw = await DrawAsync(id); // the first look freezes and commits
        var secret = await SecretOfAsync(id);
        Assert.Equal(DrawCommitment.Commit(secret), draw.GetProperty("commitment").GetString());
        Assert.Equal(JsonValueKind.Null, draw.GetProperty("secret").ValueKind);

        var anonymous = factory.CreateBrowser();
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("civil@example.org");
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        var applicant = factory.CreateBrowser();
        await applicant.SignInAsync("resident1@example.org");
        var pages = new (HttpClient Client, string Url)[]
        {
            (anonymous, $"/api/v1/meetings/{id}/draw"), (anonymous, $"/meetings/{id}"), (anonymous, $"/meetings/{id}/check"), (anonymous, "/api/v1/meetings"),
            (anonymous, "/meetings"), (staff, $"/staff/meetings/{id}"), (staff, "/staff/meetings"), (admin, $"/admin/audit?item={id}"), (admin, "/admin/audit.csv"),
            (applicant, $"/meetings/{id}"), (applicant, "/profile/download"), (applicant, "/profile/data"), (applicant, "/me"),
        };
        foreach (var (client, url) in pages)
        {
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.False(body.Contains(secret, StringComparison.OrdinalIgnoreCase), $"the secret is on {url} before the reveal");
        }
        Assert.Contains(DrawCommitment.Commit(secret), await anonymous.GetStringAsync($"/meetings/{id}"));
        Assert.False(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => (a.After ?? "").Contains(secret) || (a.Before ?? "").Contains(secret))));
        Assert.False(await factory.WithDbAsync(db => db.Set<Meeting>().AnyAsync(m => m.Id == id && m.SecretProtected!.Contains(secret))));

        // After the result, the secret is published and it is the one committed to.
        var staffApi = await factory.CreateClient().AsAsync("civil@example.org");
        Assert.Equal(HttpStatusCode.OK, (await staffApi.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = "2026137: 05 11 13 20 26 33 + 04" })).StatusCode);
        Assert.Equal(secret, (await DrawAsync(id)).GetProperty("secret").GetString());
        Assert.Contains(secret, await anonymous.GetStringAsync($"/meetings/{id}"));
    }

    /// <summary>The script of docs/SELECTION.md, run as a reader would, on the JSON the site publishes.</summary>
    private static async Task<string> RunPublishedScriptAsync(string json)
    {
        var doc = await File.ReadAllTextAsync(Path.Combine(SiteProcess.RepositoryRoot(), "docs", "SELECTION.md"));
        var script = Regex.Match(doc, "```python\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        Assert.True(script.Split('\n').Length <= 41, "the script is over 40 lines");
        var file = Path.Combine(Path.GetTempPath(), $"check_draw_{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var start = new ProcessStartInfo("python3", [file]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            using var python = Process.Start(start)!;
            await python.StandardInput.WriteAsync(json);
            python.StandardInput.Close();
            var output = await python.StandardOutput.ReadToEndAsync();
            var error = await python.StandardError.ReadToEndAsync();
            await python.WaitForExitAsync();
            Assert.True(python.ExitCode == 0, error);
            return output;
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_published_json_recomputes_by_the_documented_script_to_the_stored_selection_also_after_a_correction()
    {
        var id = await ClosedMeetingAsync(EngagementFactory.Now.AddHours(-1));
        await DrawAsync(id);
        var staff = await factory.CreateClient().AsAsync("civil@example.org");
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = "2026137: 02 09 14 18 27 30 + 16" })).StatusCode);

        async Task AssertRecomputesAsync()
        {
            var response = await factory.CreateClient().GetAsync($"/api/v1/meetings/{id}/draw");
            var json = await response.Content.ReadAsStringAsync();
            var output = await RunPublishedScriptAsync(json);
            Assert.Equal(7, Regex.Matches(output, ": matches").Count);
            Assert.DoesNotContain("DIFFERS", output);
            var draw = JsonDocument.Parse(json).RootElement;
            var stored = await factory.WithDbAsync(db => db.Set<RepresentativeApplication>()
                .Where(a => a.MeetingId == id && a.Standing == DrawStanding.Selected).OrderBy(a => a.Rank).Select(a => a.PublicId).ToListAsync());
            Assert.Equal(draw.GetProperty("selected").EnumerateArray().Select(e => e.GetString()!).Order(), stored.Order());
        }
        await AssertRecomputesAsync();

        // A tampered result does not recompute.
        var tampered = (await (await factory.CreateClient().GetAsync($"/api/v1/meetings/{id}/draw")).Content.ReadAsStringAsync())
            .Replace("02 09 14 18 27 30 + 16", "02 09 14 18 27 31 + 16");
        Assert.Contains("seed: DIFFERS", await RunPublishedScriptAsync(tampered));

        // Staff cannot correct; an admin can, with a reason, and both entries are published.
        var correction = new { result = "2026137: 02 09 14 18 27 31 + 16", reason = "录入时把红球31误录为30，按开奖公告更正。" };
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync($"/api/v1/meetings/{id}/result/correction", correction)).StatusCode);
        var admin = await factory.CreateClient().AsAsync("admin@example.org");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PostAsJsonAsync($"/api/v1/meetings/{id}/result/correction", new { correction.result, reason = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/meetings/{id}/result/correction", correction)).StatusCode);
        var corrected = await DrawAsync(id);
        Assert.Equal("2026137: 02 09 14 18 27 30 + 16", corrected.GetProperty("correction").GetProperty("firstResult").GetString());
        Assert.Equal(correction.reason, corrected.GetProperty("correction").GetProperty("reason").GetString());
        Assert.Equal(correction.result, corrected.GetProperty("publicResult").GetString());
        await AssertRecomputesAsync();
        var page = await factory.CreateBrowser().GetPageAsync($"/meetings/{id}");
        Assert.Contains("误录", page.QuerySelector("#correction")!.TextContent);

        // Once someone has answered their seat, the draw stands.
        var selected = await factory.WithDbAsync(db => db.Set<RepresentativeApplication>().Include(a => a.User)
            .Where(a => a.MeetingId == id && a.Standing == DrawStanding.Selected && a.UserId != null).Select(a => a.User!.Email).FirstAsync());
        var person = await factory.CreateClient().AsAsync(selected!);
        Assert.Equal(HttpStatusCode.NoContent, (await person.PostAsJsonAsync($"/api/v1/meetings/{id}/response", new { confirm = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/v1/meetings/{id}/result/correction",
            new { result = "2026137: 02 09 14 18 27 32 + 16", reason = "再次更正的尝试" })).StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityId == id.ToString() && a.Action == "meeting.result-correct")));
    }

    [Fact]
    public async Task A_meeting_must_announce_a_draw_after_its_close()
    {
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        var page = await admin.GetPageAsync("/staff/meetings");
        var fields = new Dictionary<string, string>
        {
            ["Title"] = "区政府第十九次常务会议", ["Place"] = "第一会议室", ["Seats"] = "4", ["ResidentSeats"] = "1", ["SmallBusinessSeats"] = "1",
            ["ApplicationsOpenAt"] = "2026-11-24T09:00", ["ApplicationsCloseAt"] = "2026-12-08T17:00", ["HeldAt"] = "2026-12-20T14:00",
            ["PublicSource"] = "中国福利彩票双色球", ["PublicDrawNumber"] = "2026140", ["PublicDrawAt"] = "2026-12-06T21:15",
        };
        var early = await admin.SubmitAsync(page, "/staff/meetings", fields);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace((await early.ParseAsync()).QuerySelector("#PublicSource-error")!.TextContent));
        fields["PublicDrawAt"] = "2026-12-08T21:15";
        fields["PublicDrawNumber"] = "2026141";
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(page, "/staff/meetings", fields)).StatusCode);
        var source = await factory.WithDbAsync(db => db.Set<Meeting>().Where(m => m.Title == "区政府第十九次常务会议").Select(m => m.SeedSource).SingleAsync());
        Assert.Contains("2026141", source);
    }
}

public sealed class CommittedDrawTests_Sqlite(SqliteFactory factory) : CommittedDrawTests<SqliteFactory>(factory);
public sealed class CommittedDrawTests_Postgres(PostgresFactory factory) : CommittedDrawTests<PostgresFactory>(factory);
