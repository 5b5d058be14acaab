using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Meetings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Meetings;

/// <summary>
/// Public representatives (2022 §四(一), 2023 §十八, tasks 42-44): applying, the frozen list, the seeded draw that
/// anyone can recompute, seats passed on, and what representatives said. The clock stands at 23 November 2026.
/// </summary>
public abstract class MeetingTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    private static object Application(string category = "resident", string phone = "13912345678", bool consent = true) => new
    {
        realName = "测试居民", phone, category, connection = "lives", statement = "我住在华阳路街道，关心加装电梯。", consent,
    };

    private Task<int> OpenMeetingAsync() =>
        factory.WithDbAsync(db => db.Set<Meeting>().Where(m => m.Title == "区政府第十七次常务会议").Select(m => m.Id).SingleAsync());

    /// <summary>A unit head meeting whose window closed yesterday, with applications from the three residents and some others.</summary>
    private async Task<(int Id, Dictionary<string, string> PublicIdByEmail)> ClosedMeetingAsync(int seats, params (string Email, ApplicantCategory Category)[] applicants)
    {
        return await factory.WithDbAsync(async db =>
        {
            var unit = await db.Units.Where(u => u.Name == "区民政局").Select(u => u.Id).SingleAsync();
            var topic = await db.Set<Decision>().Where(d => d.Title.Contains("嵌入式养老")).Select(d => d.Id).SingleAsync();
            var meeting = new Meeting
            {
                Kind = MeetingKind.UnitHead, UnitId = unit, Title = "区民政局局长办公会 " + Guid.NewGuid().ToString("N")[..6], Place = "区民政局 3楼会议室",
                HeldAt = EngagementFactory.Now.AddDays(10), ApplicationsOpenAt = EngagementFactory.Now.AddDays(-10), ApplicationsCloseAt = EngagementFactory.Now.AddDays(-1),
                Seats = seats, SeedSource = "中国福利彩票双色球第 2026136 期开奖结果", CreatedAt = EngagementFactory.Now.AddDays(-11),
                PublicSource = "中国福利彩票双色球", PublicDrawNumber = "2026136", PublicDrawAt = EngagementFactory.Now.AddHours(-12),
                Quotas = [new() { Position = 1, Category = ApplicantCategory.Resident, Seats = 1 }],
                Topics = [new() { DecisionId = topic }],
            };
            db.Add(meeting);
            await db.SaveChangesAsync();
            var ids = new Dictionary<string, string>();
            foreach (var (email, category) in applicants)
            {
                var user = await db.Users.SingleOrDefaultAsync(u => u.Email == email);
                if (user is null)
                {
                    user = new Web.Features.Accounts.User { Id = Guid.NewGuid(), UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email,
                        NormalizedEmail = email.ToUpperInvariant(), EmailConfirmed = true, DisplayName = "报名人", SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = EngagementFactory.Now };
                    db.Users.Add(user);
                }
                var publicId = MeetingService.NewPublicId();
                ids[email] = publicId;
                db.Add(new RepresentativeApplication
                {
                    MeetingId = meeting.Id, UserId = user.Id, PublicId = publicId, RealName = "报名人" + ids.Count, Phone = "13900000000", Category = category,
                    Connection = DistrictConnection.Lives, ConsentedAt = EngagementFactory.Now.AddDays(-5), CreatedAt = EngagementFactory.Now.AddDays(-5),
                    Status = ApplicationStatus.Eligible,
                });
            }
            await db.SaveChangesAsync();
            return (meeting.Id, ids);
        });
    }

    [Fact]
    public async Task A_resident_applies_once_and_the_second_application_points_at_the_first()
    {
        var id = await OpenMeetingAsync();
        var resident = await factory.CreateClient().AsAsync("resident1@example.org");
        var first = await resident.PostAsJsonAsync($"/api/v1/meetings/{id}/applications", Application());
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var publicId = (await first.JsonAsync()).GetProperty("publicId").GetString()!;
        Assert.Matches("^[2-9A-HJ-NP-Z]{8}$", publicId);

        var second = await resident.PostAsJsonAsync($"/api/v1/meetings/{id}/applications", Application("expert"));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(publicId, (await second.JsonAsync()).GetProperty("publicId").GetString());
        await factory.WaitForAsync("resident1@example.org", "报名");

        // The public page shows no name and no phone.
        var page = await factory.CreateBrowser().GetPageAsync($"/meetings/{id}");
        Assert.DoesNotContain("13912345678", page.Body!.InnerHtml);
        Assert.DoesNotContain("测试居民", page.Body.InnerHtml);
    }

    [Theory]
    [InlineData("resident", "12345", true)]
    [InlineData("vip", "13912345678", true)]
    [InlineData("resident", "13912345678", false)]
    public async Task Invalid_applications_are_refused_and_nothing_is_saved(string category, string phone, bool consent)
    {
        var id = await OpenMeetingAsync();
        var resident = await factory.CreateClient().AsAsync("resident3@example.org");
        var response = await resident.PostAsJsonAsync($"/api/v1/meetings/{id}/applications", Application(category, phone, consent));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Set<RepresentativeApplication>().AnyAsync(a => a.MeetingId == id && a.User!.Email == "resident3@example.org")));
    }

    [Fact]
    public async Task A_seed_before_the_list_is_frozen_is_refused()
    {
        var id = await OpenMeetingAsync();
        var admin = await factory.CreateClient().AsAsync("admin@example.org");
        var response = await admin.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = "2026141: 03 08 15 21 27 32 + 11" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Null(await factory.WithDbAsync(db => db.Set<Meeting>().Where(m => m.Id == id).Select(m => m.Seed).SingleAsync()));
    }

    [Fact]
    public async Task The_draw_is_recomputable_from_public_data_and_a_declined_seat_passes_to_the_waitlist()
    {
        var (id, ids) = await ClosedMeetingAsync(4,
            ("resident1@example.org", ApplicantCategory.Resident), ("resident2@example.org", ApplicantCategory.SmallBusiness),
            ("resident3@example.org", ApplicantCategory.Resident), ("draw-a@example.org", ApplicantCategory.Expert),
            ("draw-b@example.org", ApplicantCategory.Resident), ("draw-c@example.org", ApplicantCategory.Other));

        // The first look after the window closed freezes the list and publishes its fingerprint.
        var frozen = await (await factory.CreateClient().GetAsync($"/api/v1/meetings/{id}/draw")).JsonAsync();
        var applications = frozen.GetProperty("applications").EnumerateArray()
            .Select(a => new DrawApplicant(a.GetProperty("publicId").GetString()!, Category(a.GetProperty("category").GetString()!))).ToList();
        Assert.Equal(6, applications.Count);
        Assert.Equal(RepresentativeDraw.ApplicationsHash(applications), frozen.GetProperty("applicationsHash").GetString());
        Assert.Equal(JsonValueKind.Null, frozen.GetProperty("seed").ValueKind);
        Assert.DoesNotContain("13900000000", frozen.GetRawText());

        // Eligibility cannot change any more; the seed is taken once.
        var staff = await factory.CreateClient().AsAsync("civil@example.org");
        var applicationId = await factory.WithDbAsync(db => db.Set<RepresentativeApplication>().Where(a => a.MeetingId == id).Select(a => a.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await staff.PutAsJsonAsync($"/api/v1/meetings/applications/{applicationId}/eligibility", new { eligible = false, reason = "不在本区" })).StatusCode);
        const string result = "2026136期：03 08 15 21 27 32 + 11";
        var drawn = await staff.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = result });
        Assert.Equal(HttpStatusCode.OK, drawn.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await staff.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = "2026136: 01 02 03 04 05 06 + 07" })).StatusCode);

        // The seed is the secret committed at the freeze joined with the result, and everything follows from it.
        var draw = await (await factory.CreateClient().GetAsync($"/api/v1/meetings/{id}/draw")).JsonAsync();
        var secret = draw.GetProperty("secret").GetString()!;
        Assert.Equal(frozen.GetProperty("commitment").GetString(), DrawCommitment.Commit(secret));
        Assert.Equal(result, draw.GetProperty("publicResult").GetString());
        Assert.Equal("2026136 3 8 15 21 27 32 11", draw.GetProperty("normalisedResult").GetString());
        var seed = DrawCommitment.Seed(secret, "2026136 3 8 15 21 27 32 11");
        var expected = RepresentativeDraw.Run(seed, applications, 4, [new DrawQuota(ApplicantCategory.Resident, 1)]);
        Assert.Equal(seed, draw.GetProperty("seed").GetString());
        Assert.Equal(expected.Ranking, Strings(draw, "ranking"));
        Assert.Equal(expected.Selected.Select(s => s.PublicId), Strings(draw, "selected"));
        Assert.Equal(expected.Waitlist, Strings(draw, "waitlist"));
        Assert.Equal("resident", Assert.Single(draw.GetProperty("quotas").EnumerateArray()).GetProperty("category").GetString());

        // A selected resident who can sign in declines; the seat passes on, recorded with its reason.
        var decliner = ids.First(p => p.Key.StartsWith("resident") && expected.Selected.Any(s => s.PublicId == p.Value));
        var client = await factory.CreateClient().AsAsync(decliner.Key);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/meetings/{id}/response", new { confirm = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/meetings/{id}/response", new { confirm = true })).StatusCode);
        var after = await (await factory.CreateClient().GetAsync($"/api/v1/meetings/{id}/draw")).JsonAsync();
        var replacement = Assert.Single(after.GetProperty("replacements").EnumerateArray());
        Assert.Equal(decliner.Value, replacement.GetProperty("from").GetString());
        var seat = expected.Selected.Single(s => s.PublicId == decliner.Value);
        var successor = RepresentativeDraw.Successor(seat, expected.Waitlist.Select(p => applications.Single(a => a.PublicId == p)).ToList());
        Assert.Equal(successor?.PublicId, replacement.GetProperty("to").GetString());
        Assert.Equal("declined", replacement.GetProperty("reason").GetString());
        Assert.DoesNotContain(decliner.Value, Strings(after, "holding"));
        if (successor is not null) Assert.Contains(successor.PublicId, Strings(after, "holding"));
    }

    [Fact]
    public async Task An_unconfirmed_seat_passes_on_after_two_working_days()
    {
        var (id, ids) = await ClosedMeetingAsync(1, ("lapse-a@example.org", ApplicantCategory.Resident), ("lapse-b@example.org", ApplicantCategory.Resident));
        var admin = await factory.CreateClient().AsAsync("admin@example.org");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = "2026136: 01 05 09 13 17 21 + 02" })).StatusCode);
        var confirmBy = await factory.WithDbAsync(db => db.Set<RepresentativeApplication>().Where(a => a.MeetingId == id && a.Standing == DrawStanding.Selected).Select(a => a.ConfirmBy).SingleAsync());
        // Monday 23 November + 2 working days.
        Assert.Equal(new DateOnly(2026, 11, 25), confirmBy);
        using (var scope = factory.Services.CreateScope())
        {
            // Wednesday 25 November, the last day: one reminder, only once.
            var lastDay = ActivatorUtilities.CreateInstance<MeetingService>(scope.ServiceProvider,
                (TimeProvider)new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero)));
            Assert.True(await lastDay.SendConfirmationRemindersAsync() >= 1);
            Assert.Equal(0, await lastDay.SendConfirmationRemindersAsync());
        }
        var selectedEmail = await factory.WithDbAsync(db => db.Set<RepresentativeApplication>().Where(a => a.MeetingId == id && a.Standing == DrawStanding.Selected).Select(a => a.User!.Email!).SingleAsync());
        var reminder = await factory.WaitForAsync(selectedEmail, "最后一天");
        Assert.Contains($"/meetings/{id}", reminder.TextBody);
        using (var scope = factory.Services.CreateScope())
        {
            // Seen from Thursday 26 November, the day after the deadline.
            var late = ActivatorUtilities.CreateInstance<MeetingService>(scope.ServiceProvider,
                (TimeProvider)new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 2, 0, 0, TimeSpan.Zero)));
            await late.ExpireUnconfirmedAsync(id);
        }
        var draw = await (await factory.CreateClient().GetAsync($"/api/v1/meetings/{id}/draw")).JsonAsync();
        var replacement = Assert.Single(draw.GetProperty("replacements").EnumerateArray());
        Assert.Equal("not-confirmed", replacement.GetProperty("reason").GetString());
        Assert.NotNull(replacement.GetProperty("to").GetString());
        Assert.Equal(ids.Count, 2);
    }

    [Fact]
    public async Task What_representatives_said_is_published_on_the_meeting_and_the_decision_page()
    {
        var id = await factory.WithDbAsync(db => db.Set<Meeting>().Where(m => m.Title == "区政府第十五次常务会议").Select(m => m.Id).SingleAsync());
        var opinions = await (await factory.CreateClient().GetAsync($"/api/v1/meetings/{id}/opinions")).JsonAsync();
        Assert.Equal(3, opinions.GetArrayLength());
        var decision = opinions[0].GetProperty("decisionId").GetInt32();
        var page = await factory.CreateBrowser().GetPageAsync($"/decisions/{decision}");
        Assert.Equal(3, page.QuerySelectorAll("#representative-opinions li").Length);
        Assert.NotNull(page.QuerySelector($"#representatives a[href='/meetings/{id}']"));
        // The demo's past draw is over at least 30 applications in several categories, with a seat passed on.
        var draw = await (await factory.CreateClient().GetAsync($"/api/v1/meetings/{id}/draw")).JsonAsync();
        Assert.True(draw.GetProperty("applications").GetArrayLength() >= 30);
        Assert.True(draw.GetProperty("applications").EnumerateArray().Select(a => a.GetProperty("category").GetString()).Distinct().Count() >= 4);
        Assert.Single(draw.GetProperty("replacements").EnumerateArray());
    }

    [Fact]
    public async Task Staff_create_a_meeting_from_the_form_and_bad_input_is_kept_with_messages()
    {
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        var page = await admin.GetPageAsync("/staff/meetings");
        var bad = await admin.SubmitAsync(page, "/staff/meetings", new Dictionary<string, string>
        {
            ["Title"] = "区政府第十八次常务会议", ["Place"] = "第一会议室", ["SeedSource"] = "双色球", ["Seats"] = "3", ["ResidentSeats"] = "3", ["SmallBusinessSeats"] = "2",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("区政府第十八次常务会议", (await bad.ParseAsync()).QuerySelector("#Title")!.GetAttribute("value"));
        var created = await admin.SubmitAsync(page, "/staff/meetings", new Dictionary<string, string>
        {
            ["Title"] = "区政府第十八次常务会议", ["Place"] = "第一会议室", ["SeedSource"] = "2027年1月5日双色球开奖号码", ["Seats"] = "6",
            ["PublicDrawNumber"] = "2026151",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.Set<Meeting>().AnyAsync(m => m.Title == "区政府第十八次常务会议" && m.Quotas.Count == 2)));
    }

    [Fact]
    public async Task Residents_vote_once_per_item_and_the_tally_is_public()
    {
        var polls = await (await factory.CreateClient().GetAsync("/api/v1/topic-polls")).JsonAsync();
        var open = polls.EnumerateArray().Single(p => p.GetProperty("isOpen").GetBoolean());
        var closed = polls.EnumerateArray().First(p => !p.GetProperty("isOpen").GetBoolean());
        var pollId = open.GetProperty("id").GetInt32();
        var item = open.GetProperty("tally").EnumerateArray().First();
        var decisionId = item.GetProperty("decisionId").GetInt32();
        var before = item.GetProperty("votes").GetInt32();

        var resident = await factory.CreateClient().AsAsync("resident2@example.org");
        Assert.Equal(HttpStatusCode.Created, (await resident.PostAsJsonAsync($"/api/v1/topic-polls/{pollId}/votes", new { decisionId })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await resident.PostAsJsonAsync($"/api/v1/topic-polls/{pollId}/votes", new { decisionId })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await resident.PostAsJsonAsync($"/api/v1/topic-polls/{closed.GetProperty("id").GetInt32()}/votes", new { decisionId })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await resident.PostAsJsonAsync($"/api/v1/topic-polls/{pollId}/votes", new { decisionId = 999999 })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsJsonAsync($"/api/v1/topic-polls/{pollId}/votes", new { decisionId })).StatusCode);

        var tally = await (await factory.CreateClient().GetAsync($"/api/v1/topic-polls/{pollId}")).JsonAsync();
        Assert.Equal(before + 1, tally.GetProperty("tally").EnumerateArray().Single(t => t.GetProperty("decisionId").GetInt32() == decisionId).GetProperty("votes").GetInt32());
    }

    [Fact]
    public async Task The_yearly_tracker_counts_meetings_with_representatives_against_the_target_of_four()
    {
        var tracker = await (await factory.CreateClient().GetAsync("/api/v1/meetings/tracker?year=2026")).JsonAsync();
        var district = tracker.EnumerateArray().First();
        Assert.Equal(JsonValueKind.Null, district.GetProperty("unit").ValueKind);
        Assert.Equal(4, district.GetProperty("target").GetInt32());
        Assert.True(district.GetProperty("withRepresentatives").GetInt32() >= 1);
        var page = await factory.CreateBrowser().GetPageAsync("/meetings/tracker?year=2026");
        Assert.NotNull(page.QuerySelector("#tracker-district"));
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        Assert.Contains("4", (await admin.GetPageAsync("/admin")).QuerySelector("#meetings-tracker")!.TextContent);

        // The past meeting shows the solicitation's tally beside the topic it chose.
        var id = await factory.WithDbAsync(db => db.Set<Meeting>().Where(m => m.Title == "区政府第十五次常务会议").Select(m => m.Id).SingleAsync());
        var meeting = await factory.CreateBrowser().GetPageAsync($"/meetings/{id}");
        Assert.NotNull(meeting.QuerySelector("#topic-tally"));
    }

    [Fact]
    public async Task Personal_fields_are_erased_after_the_retention_period_and_the_draw_stays()
    {
        var (id, ids) = await ClosedMeetingAsync(1, ("erase-a@example.org", ApplicantCategory.Resident), ("erase-b@example.org", ApplicantCategory.Expert));
        var admin = await factory.CreateClient().AsAsync("admin@example.org");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = "2026136: 02 06 10 14 18 22 + 03" })).StatusCode);
        var hash = (await (await factory.CreateClient().GetAsync($"/api/v1/meetings/{id}/draw")).JsonAsync()).GetProperty("applicationsHash").GetString();
        using (var scope = factory.Services.CreateScope())
        {
            // 181 days after the meeting (held 10 days from now).
            var later = ActivatorUtilities.CreateInstance<MeetingService>(scope.ServiceProvider,
                (TimeProvider)new Microsoft.Extensions.Time.Testing.FakeTimeProvider(EngagementFactory.Now.AddDays(191)));
            Assert.True(await later.ErasePersonalDataAsync() >= 2);
        }
        var rows = await factory.WithDbAsync(db => db.Set<RepresentativeApplication>().AsNoTracking().Where(a => a.MeetingId == id).ToListAsync());
        Assert.All(rows, a =>
        {
            Assert.Null(a.RealName);
            Assert.Null(a.Phone);
            Assert.NotNull(a.ErasedAt);
            Assert.Contains(a.PublicId, ids.Values);
        });
        var draw = await (await factory.CreateClient().GetAsync($"/api/v1/meetings/{id}/draw")).JsonAsync();
        Assert.Equal(hash, draw.GetProperty("applicationsHash").GetString());
        Assert.Equal(2, draw.GetProperty("ranking").GetArrayLength());
    }

    [Fact]
    public async Task Staff_record_attendance_of_a_representative()
    {
        var (id, ids) = await ClosedMeetingAsync(1, ("attend-a@example.org", ApplicantCategory.Resident));
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("civil@example.org");
        var admin = await factory.CreateClient().AsAsync("admin@example.org");
        await admin.PostAsJsonAsync($"/api/v1/meetings/{id}/seed", new { seed = "2026136: 04 08 12 16 20 24 + 05" });
        var page = await staff.GetPageAsync($"/staff/meetings/{id}");
        var publicId = ids["attend-a@example.org"];
        var response = await staff.SubmitAsync(page, $"/staff/meetings/{id}/attendance", new Dictionary<string, string> { ["publicId"] = publicId, ["attended"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.Set<RepresentativeApplication>().Where(a => a.PublicId == publicId).Select(a => a.Attended == true).SingleAsync()));
        var housing = factory.CreateBrowser();
        await housing.SignInAsync("housing@example.org");
        Assert.Equal(HttpStatusCode.Redirect, (await housing.GetAsync($"/staff/meetings/{id}")).StatusCode);
    }

    private static ApplicantCategory Category(string code) => RepresentativeDraw.TryParseCategory(code, out var c) ? c : throw new InvalidOperationException(code);

    private static List<string> Strings(JsonElement element, string name) => element.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToList();
}

public sealed class MeetingTests_Sqlite(SqliteFactory factory) : MeetingTests<SqliteFactory>(factory);
public sealed class MeetingTests_Postgres(PostgresFactory factory) : MeetingTests<PostgresFactory>(factory);
