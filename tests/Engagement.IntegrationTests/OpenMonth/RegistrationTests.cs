using System.Net;
using System.Net.Http.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.OpenMonth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.OpenMonth;

/// <summary>Signing up for open-day events: never overbooked, waitlisted in arrival order, moved up on cancellation.</summary>
public abstract class RegistrationTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    private Task<int> EventAsync(int capacity) => factory.WithDbAsync(async db =>
    {
        var venue = await db.Set<Venue>().FirstAsync();
        var unit = await db.Units.Select(u => u.Id).FirstAsync();
        var ev = new OpenEvent
        {
            Title = "测试开放日 " + Guid.NewGuid().ToString("N")[..6], UnitId = unit, VenueId = venue.Id, Theme = ThemeArea.Livelihood, Segments = EventSegments.Forum,
            StartsAt = EngagementFactory.Now.AddDays(20), EndsAt = EngagementFactory.Now.AddDays(20).AddHours(2), Capacity = capacity,
            RegistrationOpensAt = EngagementFactory.Now.AddDays(-1), RegistrationClosesAt = EngagementFactory.Now.AddDays(10), CreatedAt = EngagementFactory.Now,
        };
        db.Add(ev);
        await db.SaveChangesAsync();
        return ev.Id;
    });

    private Task<List<Guid>> PeopleAsync(string prefix, int count) => factory.WithDbAsync(async db =>
    {
        var users = Enumerable.Range(0, count).Select(i => new User
        {
            Id = Guid.NewGuid(), UserName = $"{prefix}{i}@example.org", NormalizedUserName = $"{prefix}{i}@EXAMPLE.ORG", Email = $"{prefix}{i}@example.org",
            NormalizedEmail = $"{prefix}{i}@EXAMPLE.ORG", EmailConfirmed = true, DisplayName = "居民" + i, SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = EngagementFactory.Now,
        }).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return users.Select(u => u.Id).ToList();
    });

    [Fact]
    public async Task A_burst_of_2000_registrations_for_100_places_confirms_exactly_100_and_waitlists_the_rest_in_order()
    {
        var id = await EventAsync(100);
        var people = await PeopleAsync("burst", 2000);
        var results = new System.Collections.Concurrent.ConcurrentBag<(Guid User, RegisterOutcome Outcome)>();
        await Parallel.ForEachAsync(people, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (user, ct) =>
        {
            using var scope = factory.Services.CreateScope();
            var result = await scope.ServiceProvider.GetRequiredService<RegistrationService>().RegisterAsync(id, user, 0, ct);
            results.Add((user, result.Outcome));
        });
        Assert.Equal(2000, results.Count);
        Assert.Equal(100, results.Count(r => r.Outcome == RegisterOutcome.Confirmed));
        Assert.Equal(1900, results.Count(r => r.Outcome == RegisterOutcome.Waitlisted));
        var stored = await factory.WithDbAsync(async db => new
        {
            Counter = await db.Set<OpenEvent>().Where(e => e.Id == id).Select(e => e.Confirmed).SingleAsync(),
            Confirmed = await db.Set<EventRegistration>().CountAsync(r => r.EventId == id && r.Status == RegistrationStatus.Confirmed),
            Waitlisted = await db.Set<EventRegistration>().CountAsync(r => r.EventId == id && r.Status == RegistrationStatus.Waitlisted),
        });
        Assert.Equal(100, stored.Counter);
        Assert.Equal(100, stored.Confirmed);
        Assert.Equal(1900, stored.Waitlisted);
        var api = await (await factory.CreateClient().GetAsync($"/api/v1/events/{id}")).JsonAsync();
        Assert.Equal(100, api.GetProperty("confirmed").GetInt32());
        Assert.Equal(1900, api.GetProperty("waitlisted").GetInt32());
    }

    [Fact]
    public async Task A_cancellation_moves_the_first_waiting_up_with_a_notice()
    {
        var id = await EventAsync(1);
        var first = await factory.CreateClient().AsAsync("resident1@example.org");
        var second = await factory.CreateClient().AsAsync("resident2@example.org");
        var third = await factory.CreateClient().AsAsync("resident3@example.org");
        var a = await (await first.PostAsJsonAsync($"/api/v1/events/{id}/registrations", new { })).JsonAsync();
        Assert.Equal("confirmed", a.GetProperty("status").GetString());
        var b = await second.PostAsJsonAsync($"/api/v1/events/{id}/registrations", new { });
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        var bJson = await b.JsonAsync();
        Assert.Equal("waitlisted", bJson.GetProperty("status").GetString());
        Assert.Equal(1, bJson.GetProperty("position").GetInt32());
        var c = await (await third.PostAsJsonAsync($"/api/v1/events/{id}/registrations", new { })).JsonAsync();
        Assert.Equal(2, c.GetProperty("position").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await second.PostAsJsonAsync($"/api/v1/events/{id}/registrations", new { })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await first.DeleteAsync($"/api/v1/events/{id}/registrations/mine")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await first.DeleteAsync($"/api/v1/events/{id}/registrations/mine")).StatusCode);
        var status = await factory.WithDbAsync(db => db.Set<EventRegistration>().Where(r => r.EventId == id).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Select(r => r.Status).ToListAsync());
        Assert.Equal([RegistrationStatus.Cancelled, RegistrationStatus.Confirmed, RegistrationStatus.Waitlisted], status);
        var title = await factory.WithDbAsync(db => db.Set<OpenEvent>().Where(e => e.Id == id).Select(e => e.Title).SingleAsync());
        await factory.WaitForAsync("resident2@example.org", title);
        var ev = await (await factory.CreateClient().GetAsync($"/api/v1/events/{id}")).JsonAsync();
        Assert.Equal(1, ev.GetProperty("confirmed").GetInt32());
        Assert.Equal(1, ev.GetProperty("waitlisted").GetInt32());
    }

    [Fact]
    public async Task Registration_outside_the_window_or_with_too_many_companions_is_refused()
    {
        var id = await EventAsync(10);
        await factory.WithDbAsync(async db => await db.Set<OpenEvent>().Where(e => e.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.RegistrationClosesAt, EngagementFactory.Now.AddHours(-1))));
        var resident = await factory.CreateClient().AsAsync("resident1@example.org");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await resident.PostAsJsonAsync($"/api/v1/events/{id}/registrations", new { })).StatusCode);
        var open = await EventAsync(10);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await resident.PostAsJsonAsync($"/api/v1/events/{open}/registrations", new { companions = 3 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await resident.PostAsJsonAsync("/api/v1/events/999999/registrations", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsJsonAsync($"/api/v1/events/{open}/registrations", new { })).StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Set<EventRegistration>().AnyAsync(r => r.EventId == id || r.EventId == open)));
    }

    [Theory]
    [InlineData("2027-09-03T10:00", "2027-09-03T12:00", "2027-08-25T17:00", "10", true, "StartsAt")]          // Open Month outside August
    [InlineData("2027-08-03T10:00", "2027-08-03T12:00", "2027-08-04T17:00", "10", true, "RegistrationClosesAt")] // registration after the start
    [InlineData("2027-08-03T10:00", "2027-08-03T12:00", "2027-08-01T17:00", "0", true, "Capacity")]
    [InlineData("2027-08-03T10:00", "2027-08-03T09:00", "2027-08-01T17:00", "10", true, "EndsAt")]
    public async Task Scheduling_rules_refuse_an_event_with_the_reason_beside_the_field(string starts, string ends, string closes, string capacity, bool openMonth, string field)
    {
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("admin@example.org");
        var page = await staff.GetPageAsync("/staff/events");
        var venue = page.QuerySelector("#VenueId option")!.GetAttribute("value")!;
        var response = await staff.SubmitAsync(page, "/staff/events", new Dictionary<string, string>
        {
            ["Title"] = "规则测试活动 " + field, ["VenueId"] = venue, ["Segments"] = "Forum", ["OpenMonth"] = openMonth ? "true" : "false",
            ["StartsAt"] = starts, ["EndsAt"] = ends, ["RegistrationOpensAt"] = "2027-07-01T09:00", ["RegistrationClosesAt"] = closes, ["Capacity"] = capacity,
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Set<OpenEvent>().AnyAsync(e => e.Title == "规则测试活动 " + field)));
    }

    [Fact]
    public async Task A_description_is_measured_as_people_count_characters_and_one_too_long_is_refused_beside_the_field()
    {
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("admin@example.org");
        var page = await staff.GetPageAsync("/staff/events");
        var venue = page.QuerySelector("#VenueId option")!.GetAttribute("value")!;
        Dictionary<string, string> Form(string title, string description, string day) => new()
        {
            ["Title"] = title, ["Description"] = description, ["VenueId"] = venue, ["Segments"] = "Forum", ["OpenMonth"] = "true",
            ["StartsAt"] = $"2027-08-{day}T14:00", ["EndsAt"] = $"2027-08-{day}T16:00", ["RegistrationOpensAt"] = "2027-07-01T09:00",
            ["RegistrationClosesAt"] = "2027-07-31T17:00", ["Capacity"] = "20",
        };
        // 5,000 characters into a 4,000-character column: refused with the count, nothing saved (PostgreSQL would have answered 500).
        var tooLong = await staff.SubmitAsync(page, "/staff/events", Form("介绍过长的活动", new string('介', 5000), "10"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        var refused = await tooLong.ParseAsync();
        Assert.Contains("4000", refused.QuerySelector("#error-summary")!.TextContent);
        Assert.Contains("5000", refused.QuerySelector("#error-summary")!.TextContent);
        Assert.False(await factory.WithDbAsync(db => db.Set<OpenEvent>().AnyAsync(e => e.Title == "介绍过长的活动")));

        // 4,000 emoji are 8,000 UTF-16 units but 4,000 characters: accepted, and kept whole.
        var emoji = string.Concat(Enumerable.Repeat("🌳", 4000));
        var accepted = await staff.SubmitAsync(page, "/staff/events", Form("四千个表情的活动", emoji, "11"));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(emoji, await factory.WithDbAsync(db => db.Set<OpenEvent>().Where(e => e.Title == "四千个表情的活动").Select(e => e.Description).SingleAsync()));
    }

    [Fact]
    public async Task The_same_venue_cannot_hold_two_overlapping_events_and_a_weekend_is_allowed_and_marked()
    {
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("admin@example.org");
        var page = await staff.GetPageAsync("/staff/events");
        var venue = page.QuerySelector("#VenueId option")!.GetAttribute("value")!;
        Dictionary<string, string> Form(string title, string starts, string ends) => new()
        {
            ["Title"] = title, ["VenueId"] = venue, ["Segments"] = "HandsOn", ["OpenMonth"] = "true", ["StartsAt"] = starts, ["EndsAt"] = ends,
            ["RegistrationOpensAt"] = "2027-07-01T09:00", ["RegistrationClosesAt"] = "2027-07-31T17:00", ["Capacity"] = "20",
        };
        // Saturday 7 August 2027.
        var first = await staff.SubmitAsync(page, "/staff/events", Form("周六开放日（场地测试）", "2027-08-07T09:00", "2027-08-07T11:00"));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var clash = await staff.SubmitAsync(page, "/staff/events", Form("同场地冲突活动", "2027-08-07T10:30", "2027-08-07T12:00"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, clash.StatusCode);
        Assert.Contains("周六开放日", (await clash.ParseAsync()).QuerySelector("[role=alert]")!.TextContent);
        var eventPage = await factory.CreateBrowser().GetPageAsync(first.Headers.Location!.OriginalString);
        Assert.NotNull(eventPage.QuerySelector("#rest-day"));
    }

    [Fact]
    public async Task Staff_check_a_registration_in_once_and_see_the_attendance()
    {
        var id = await EventAsync(5);
        var resident = await factory.CreateClient().AsAsync("resident3@example.org");
        await resident.PostAsJsonAsync($"/api/v1/events/{id}/registrations", new { companions = 1 });
        var code = await factory.WithDbAsync(db => db.Set<EventRegistration>().Where(r => r.EventId == id).Select(r => r.CheckInCode).SingleAsync());
        var qr = await resident.GetAsync($"/events/{id}/my-code.svg");
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType!.MediaType);

        var staff = factory.CreateBrowser();
        await staff.SignInAsync("admin@example.org");
        var page = await staff.GetPageAsync($"/staff/events/{id}/check-in");
        var ok = await staff.SubmitAsync(page, $"/staff/events/{id}/check-in", new Dictionary<string, string> { ["code"] = code.ToLowerInvariant() });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("2", (await ok.ParseAsync()).QuerySelector("#attendance")!.TextContent);
        var again = await staff.SubmitAsync(page, $"/staff/events/{id}/check-in", new Dictionary<string, string> { ["code"] = code });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var wrong = await staff.SubmitAsync(page, $"/staff/events/{id}/check-in", new Dictionary<string, string> { ["code"] = "NOPE000000" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
    }

    [Fact]
    public async Task Confirmed_people_are_reminded_the_day_before_once()
    {
        var id = await EventAsync(5);
        // Starting tomorrow, Tuesday 24 November 2026, at 10:00 Shanghai time.
        await factory.WithDbAsync(db => db.Set<OpenEvent>().Where(e => e.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.StartsAt, new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero))
            .SetProperty(e => e.EndsAt, new DateTimeOffset(2026, 11, 24, 4, 0, 0, TimeSpan.Zero))
            .SetProperty(e => e.RegistrationClosesAt, new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero))));
        var resident = await factory.CreateClient().AsAsync("resident2@example.org");
        Assert.Equal(HttpStatusCode.Created, (await resident.PostAsJsonAsync($"/api/v1/events/{id}/registrations", new { })).StatusCode);
        Assert.True(await factory.WithServiceAsync<RegistrationService, int>(s => s.SendDayBeforeRemindersAsync()) >= 1);
        Assert.Equal(0, await factory.WithServiceAsync<RegistrationService, int>(s => s.SendDayBeforeRemindersAsync()));
        var title = await factory.WithDbAsync(db => db.Set<OpenEvent>().Where(e => e.Id == id).Select(e => e.Title).SingleAsync());
        await factory.WaitForAsync("resident2@example.org", title);
    }

    [Fact]
    public async Task The_programme_and_each_event_are_iCalendar_files()
    {
        var feed = await factory.CreateClient().GetAsync("/events/calendar.ics");
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType!.MediaType);
        var text = await feed.Content.ReadAsStringAsync();
        Assert.StartsWith("BEGIN:VCALENDAR", text);
        Assert.True(text.Split("BEGIN:VEVENT").Length - 1 >= 5);
        var id = await factory.WithDbAsync(db => db.Set<OpenEvent>().Select(e => e.Id).FirstAsync());
        var one = await (await factory.CreateClient().GetAsync($"/events/{id}/event.ics")).Content.ReadAsStringAsync();
        Assert.Single(one.Split("BEGIN:VEVENT").Skip(1));
        Assert.Contains($"UID:event-{id}@engagement", one);
    }

    [Fact]
    public async Task A_questionnaire_is_built_answered_once_anonymously_and_its_results_are_public()
    {
        var id = await EventAsync(10);
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("admin@example.org");
        var build = await staff.GetPageAsync($"/staff/events/{id}/questionnaire");
        var action = $"/staff/events/{id}/questionnaire/questions";
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await staff.SubmitAsync(build, action,
            new Dictionary<string, string> { ["kind"] = "SingleChoice", ["question"] = "只有一个选项？", ["options"] = "是" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(build, action,
            new Dictionary<string, string> { ["kind"] = "Rating", ["question"] = "总体满意度", ["required"] = "true" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(build, action,
            new Dictionary<string, string> { ["kind"] = "MultipleChoice", ["question"] = "感兴趣的环节", ["options"] = "讲解\n演示\n问答" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(build, action,
            new Dictionary<string, string> { ["kind"] = "FreeText", ["question"] = "其他建议" })).StatusCode);
        var questions = await factory.WithDbAsync(db => db.Set<Question>().Where(q => q.EventId == id).OrderBy(q => q.Position).Select(q => q.Id).ToListAsync());

        var resident = factory.CreateBrowser();
        await resident.SignInAsync("resident1@example.org");
        // Only those who were there answer, and only once the event has begun.
        var notRegistered = await resident.GetPageAsync($"/events/{id}/questionnaire");
        Assert.Contains("只有报名参加", notRegistered.QuerySelector("#answer-refusal")!.TextContent);
        Assert.Empty(notRegistered.QuerySelectorAll($"form[action='/events/{id}/questionnaire']"));
        var refused = await resident.PostAsync($"/events/{id}/questionnaire", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", notRegistered.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new($"q{questions[0]}", "4"),
        ]));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var api = await factory.CreateClient().AsAsync("resident1@example.org");
        Assert.True((await api.PostAsJsonAsync($"/api/v1/events/{id}/registrations", new { companions = 0 })).IsSuccessStatusCode);
        Assert.Contains("活动开始后开放", (await resident.GetPageAsync($"/events/{id}/questionnaire")).QuerySelector("#answer-refusal")!.TextContent);
        await factory.WithDbAsync(db => db.Set<OpenEvent>().Where(e => e.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(e => e.StartsAt, EngagementFactory.Now.AddHours(-3)).SetProperty(e => e.EndsAt, EngagementFactory.Now.AddHours(-1))));

        var form = await resident.GetPageAsync($"/events/{id}/questionnaire");
        var missing = await resident.SubmitAsync(form, $"/events/{id}/questionnaire", new Dictionary<string, string> { [$"q{questions[2]}"] = "很好" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        var fields = new List<KeyValuePair<string, string>>
        {
            new($"q{questions[0]}", "4"), new($"q{questions[1]}", "0"), new($"q{questions[1]}", "2"), new($"q{questions[2]}", "希望多开周末场，电话13912345678"),
            new("__RequestVerificationToken", form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
        };
        Assert.Equal(HttpStatusCode.Redirect, (await resident.PostAsync($"/events/{id}/questionnaire", new FormUrlEncodedContent(fields))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await resident.PostAsync($"/events/{id}/questionnaire", new FormUrlEncodedContent(fields))).StatusCode);

        // Choices count at once; the text waits for staff (先审查、后公开), then shows masked.
        var results = await factory.CreateBrowser().GetPageAsync($"/events/{id}/questionnaire/results");
        Assert.Contains("1", results.QuerySelector("#responses")!.TextContent);
        Assert.Equal("1", results.QuerySelector($"#table-{questions[0]} td[data-value='1']")?.TextContent);
        Assert.DoesNotContain("希望多开周末场", results.Body!.TextContent);
        var review = await staff.GetPageAsync($"/staff/events/{id}/questionnaire");
        var pending = review.QuerySelector("#pending-answers li")!;
        Assert.Contains("139****5678", pending.TextContent);
        var approve = pending.QuerySelector("form[action$='/approve']")!.GetAttribute("action")!;
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(review, approve)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.SubmitAsync(review, approve)).StatusCode);
        results = await factory.CreateBrowser().GetPageAsync($"/events/{id}/questionnaire/results");
        Assert.Contains("139****5678", results.Body!.TextContent);
        Assert.DoesNotContain("13912345678", results.Body.InnerHtml);
        // Someone who was not there is still refused while it is open.
        var other = factory.CreateBrowser();
        await other.SignInAsync("resident2@example.org");
        Assert.Contains("只有报名参加", (await other.GetPageAsync($"/events/{id}/questionnaire")).QuerySelector("#answer-refusal")!.TextContent);
        // Answers carry no person: only the participation does.
        Assert.True(await factory.WithDbAsync(db => db.Set<QuestionnaireParticipation>().AnyAsync(p => p.EventId == id)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await staff.SubmitAsync(build, action,
            new Dictionary<string, string> { ["kind"] = "FreeText", ["question"] = "作答后再加的问题" })).StatusCode);

        var summary = await staff.SubmitAsync(build, $"/staff/events/{id}/summary", new Dictionary<string, string> { ["summary"] = "收到建议12条，周末场次将增加到每月两次。" });
        Assert.Equal(HttpStatusCode.Redirect, summary.StatusCode);
        Assert.Contains("每月两次", (await factory.CreateBrowser().GetPageAsync($"/events/{id}")).QuerySelector("#summary")!.TextContent);
    }

    [Fact]
    public async Task Residents_propose_and_vote_for_themes_units_propose_events_and_admins_choose_beside_the_tally()
    {
        var resident = factory.CreateBrowser();
        await resident.SignInAsync("resident3@example.org");
        var page = await resident.GetPageAsync("/events/themes");
        var form = page.Forms.First(f => f.GetAttribute("action")!.EndsWith("/proposals"));
        var action = form.GetAttribute("action")!;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await resident.SubmitAsync(page, action, new Dictionary<string, string> { ["proposal"] = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await resident.SubmitAsync(page, action, new Dictionary<string, string> { ["proposal"] = "开放区档案馆，看看老长宁的城市变迁" })).StatusCode);
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("civil@example.org");
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(await staff.GetPageAsync("/events/themes"), action,
            new Dictionary<string, string> { ["proposal"] = "养老服务机构开放日" })).StatusCode);

        var proposals = await factory.WithDbAsync(db => db.Set<ThemeProposal>().Where(p => p.Text.Contains("档案馆") || p.Text.Contains("养老服务机构开放日")).ToListAsync());
        Assert.Contains(proposals, p => p.Kind == ProposalKind.UnitEvent && p.UnitId != null);
        var theme = proposals.Single(p => p.Kind == ProposalKind.ResidentTheme);
        page = await resident.GetPageAsync("/events/themes");
        Assert.Equal(HttpStatusCode.Redirect, (await resident.SubmitAsync(page, $"/events/themes/proposals/{theme.Id}/vote")).StatusCode);
        var voter = factory.CreateBrowser();
        await voter.SignInAsync("resident1@example.org");
        var other = await voter.GetPageAsync("/events/themes");
        Assert.Equal(HttpStatusCode.Redirect, (await voter.SubmitAsync(other, $"/events/themes/proposals/{theme.Id}/vote")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await voter.SubmitAsync(other, $"/events/themes/proposals/{theme.Id}/vote")).StatusCode);

        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(await admin.GetPageAsync("/events/themes"), $"/events/themes/proposals/{theme.Id}/decide",
            new Dictionary<string, string> { ["chosen"] = "true" })).StatusCode);
        var row = (await factory.CreateBrowser().GetPageAsync("/events/themes")).QuerySelector($"#proposal-{theme.Id}")!;
        Assert.Equal("2", row.QuerySelector(".votes")!.TextContent);
        Assert.Contains("已列入", row.QuerySelector(".status")!.TextContent);
        var api = await (await factory.CreateClient().GetAsync("/api/v1/event-themes")).JsonAsync();
        Assert.True(api.GetArrayLength() >= 2);
    }

    [Fact]
    public async Task The_programme_lists_the_Open_Month_and_the_demo_event_that_is_full()
    {
        var august = await (await factory.CreateClient().GetAsync("/api/v1/events?openMonth=true")).JsonAsync();
        Assert.True(august.GetArrayLength() >= 3);
        Assert.All(august.EnumerateArray(), e => Assert.Equal(8, e.GetProperty("startsAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(8)).Month));
        var all = await (await factory.CreateClient().GetAsync("/api/v1/events")).JsonAsync();
        Assert.Contains(all.EnumerateArray(), e => e.GetProperty("confirmed").GetInt32() == e.GetProperty("capacity").GetInt32() && e.GetProperty("waitlisted").GetInt32() > 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await factory.CreateClient().GetAsync("/api/v1/events?from=2027-09-01T00:00:00Z&to=2027-08-01T00:00:00Z")).StatusCode);
        var page = await factory.CreateBrowser().GetPageAsync("/events?openMonth=true");
        Assert.True(page.QuerySelectorAll("#programme .open-month").Length >= 3);
        var month = await factory.CreateBrowser().GetPageAsync("/events?month=2027-08");
        Assert.NotNull(month.QuerySelector("h1 .open-month"));
        Assert.True(month.QuerySelectorAll("#month-view td a").Length >= 3);
        var themed = await factory.CreateBrowser().GetPageAsync("/events?theme=FairSupervision");
        Assert.Single(themed.QuerySelectorAll("#programme tbody tr"));
    }
}

public sealed class RegistrationTests_Sqlite(SqliteFactory factory) : RegistrationTests<SqliteFactory>(factory);
public sealed class RegistrationTests_Postgres(PostgresFactory factory) : RegistrationTests<PostgresFactory>(factory);
