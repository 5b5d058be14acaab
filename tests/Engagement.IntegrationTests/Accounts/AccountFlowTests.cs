using System.Net;
using System.Net.Http.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Accounts;

public abstract class AccountFlowTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    private static Dictionary<string, string> Registration(string email) => new()
    {
        ["Email"] = email,
        ["DisplayName"] = "周家桥居民",
        ["Phone"] = "13812345678",
        ["Password"] = "changning-2026",
        ["ConfirmPassword"] = "changning-2026",
    };

    [Fact]
    public async Task Register_confirm_by_email_then_sign_in()
    {
        var browser = factory.CreateBrowser();
        var page = await browser.GetPageAsync("/account/register");
        var response = await browser.SubmitAsync(page, "/account/register", Registration("new.resident@example.org"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/check-email", response.Headers.Location?.OriginalString);

        // Not confirmed yet: signing in is refused with the reason.
        var login = await browser.GetPageAsync("/account/login");
        var refused = await (await browser.SubmitAsync(login, "/account/login",
            new Dictionary<string, string> { ["Email"] = "new.resident@example.org", ["Password"] = "changning-2026" })).ParseAsync();
        Assert.Contains("邮箱尚未确认", refused.QuerySelector("#login-errors")!.TextContent);

        var mail = await factory.WaitForAsync("new.resident@example.org", "确认");
        var confirmed = await browser.GetPageAsync(mail.LocalLink());
        Assert.Contains("alert-success", confirmed.QuerySelector("#confirm-result")!.ClassName);

        await browser.SignInAsync("new.resident@example.org", "changning-2026");
        var profile = await browser.GetPageAsync("/profile");
        Assert.Equal("new.resident@example.org", profile.QuerySelector("#profile-email")!.TextContent);
        Assert.Contains("居民", profile.Body!.TextContent);
    }

    [Fact]
    public async Task Register_keeps_what_was_typed_and_explains_each_wrong_field()
    {
        var browser = factory.CreateBrowser();
        var page = await browser.GetPageAsync("/account/register");
        var form = Registration("not-an-email");
        form["Phone"] = "12345";
        form["ConfirmPassword"] = "different-1";
        var response = await browser.SubmitAsync(page, "/account/register", form);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var result = await response.ParseAsync();

        Assert.Equal("not-an-email", result.QuerySelector("#Email")!.GetAttribute("value"));
        Assert.Equal("周家桥居民", result.QuerySelector("#DisplayName")!.GetAttribute("value"));
        Assert.False(string.IsNullOrWhiteSpace(result.QuerySelector("#Email-error")!.TextContent));
        Assert.Contains("11位手机号码", result.QuerySelector("#Phone-error")!.TextContent);
        Assert.Contains("不一致", result.QuerySelector("#ConfirmPassword-error")!.TextContent);
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "not-an-email")));
    }

    [Fact]
    public async Task A_second_registration_with_a_taken_address_is_answered_like_a_new_one_and_the_owner_is_told()
    {
        var browser = factory.CreateBrowser();
        var users = await factory.WithDbAsync(db => db.Users.CountAsync());
        var page = await browser.GetPageAsync("/account/register");
        var response = await browser.SubmitAsync(page, "/account/register", Registration("resident2@example.org"));

        // The same redirect a new address gets: nobody learns the address has an account.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/check-email", response.Headers.Location?.OriginalString);
        Assert.Equal(users, await factory.WithDbAsync(db => db.Users.CountAsync()));
        var told = await factory.WaitForAsync("resident2@example.org", "有人尝试用您的邮箱注册");
        Assert.Contains("/account/forgot-password", told.TextBody);
    }

    [Fact]
    public async Task A_form_posted_without_the_antiforgery_token_is_refused()
    {
        var browser = factory.CreateBrowser();
        var response = await browser.PostAsync("/account/register", new FormUrlEncodedContent(Registration("csrf@example.org")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "csrf@example.org")));
    }

    [Fact]
    public async Task Password_reset_by_email_sets_a_new_password()
    {
        var browser = factory.CreateBrowser();
        var page = await browser.GetPageAsync("/account/forgot-password");
        var sent = await browser.SubmitAsync(page, "/account/forgot-password", new Dictionary<string, string> { ["Email"] = "resident1@example.org" });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        var mail = await factory.WaitForAsync("resident1@example.org", "重置");
        var reset = await browser.GetPageAsync(mail.LocalLink());
        var done = await (await browser.SubmitAsync(reset, "/account/reset-password",
            new Dictionary<string, string> { ["Password"] = "new-password-88", ["ConfirmPassword"] = "new-password-88" })).ParseAsync();
        Assert.NotNull(done.QuerySelector("#reset-done"));

        var token = await factory.CreateClient().TokenAsync("resident1@example.org", "new-password-88");
        Assert.False(string.IsNullOrEmpty(token));
    }

    [Fact]
    public async Task Bearer_token_identifies_the_person_and_their_roles()
    {
        var client = await factory.CreateClient().AsAsync("staff@example.org");
        var me = await (await client.GetAsync("/api/v1/auth/me")).JsonAsync();
        Assert.Equal("staff@example.org", me.GetProperty("email").GetString());
        Assert.Contains("Staff", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, me.GetProperty("unitId").ValueKind);

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_gives_a_new_access_token_and_a_forged_one_is_refused()
    {
        var login = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = "host@example.org", password = EngagementFactory.Password });
        var refreshToken = (await login.JsonAsync()).GetProperty("refreshToken").GetString();

        var refreshed = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.False(string.IsNullOrEmpty((await refreshed.JsonAsync()).GetProperty("accessToken").GetString()));

        var forged = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "forged" + refreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"email\":\"x\"}")]
    [InlineData("not json")]
    [InlineData("{\"email\":\"admin@example.org\",\"password\":null}")]
    public async Task Malformed_login_is_400(string body)
    {
        var response = await factory.CreateClient().PostAsync("/api/v1/auth/login", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_person_downloads_and_then_deletes_their_own_data()
    {
        // A fresh account, so other tests keep theirs.
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var user = new User { UserName = "leaving@example.org", Email = "leaving@example.org", EmailConfirmed = true, DisplayName = "将离开的居民", CreatedAt = EngagementFactory.Now };
            Assert.True((await users.CreateAsync(user, "leaving-2026")).Succeeded);
            await users.AddToRoleAsync(user, Roles.Resident);
        }
        var browser = factory.CreateBrowser();
        await browser.SignInAsync("leaving@example.org", "leaving-2026");

        // A message left before leaving: it is in the download, and it stays (without its author) for the record.
        var board = await browser.GetPageAsync("/messages");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(board, "/messages",
            new Dictionary<string, string> { ["Text"] = "搬家前想问：社区图书室周末开放吗？" })).StatusCode);

        var download = await browser.GetAsync("/profile/download");
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        var data = await download.Content.ReadAsStringAsync();
        Assert.Contains("将离开的居民", data);
        Assert.Contains("搬家前想问：社区图书室周末开放吗？", data);
        Assert.Contains("\"Received\"", data);

        var profile = await browser.GetPageAsync("/profile");
        var wrong = await browser.SubmitAsync(profile, "/profile/delete", new Dictionary<string, string> { ["Password"] = "not-my-password-1" });
        Assert.Contains("密码不正确", (await wrong.ParseAsync()).QuerySelector("#delete-error")!.TextContent);
        Assert.True(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "leaving@example.org")));

        profile = await browser.GetPageAsync("/profile");
        var deleted = await (await browser.SubmitAsync(profile, "/profile/delete", new Dictionary<string, string> { ["Password"] = "leaving-2026" })).ParseAsync();
        Assert.NotNull(deleted.QuerySelector("#account-deleted"));
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "leaving@example.org")));
        Assert.Null(await factory.WithDbAsync(db => db.Set<Web.Features.Messages.Message>()
            .Where(m => m.Text == "搬家前想问：社区图书室周末开放吗？").Select(m => m.AuthorId).SingleAsync()));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/profile")).StatusCode);
    }
}

public sealed class AccountFlowTests_Sqlite(SqliteFactory factory) : AccountFlowTests<SqliteFactory>(factory);
public sealed class AccountFlowTests_Postgres(PostgresFactory factory) : AccountFlowTests<PostgresFactory>(factory);
