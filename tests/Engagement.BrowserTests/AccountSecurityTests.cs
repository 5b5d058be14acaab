using Microsoft.Playwright;
using OtpNet;

namespace Engagement.BrowserTests;

/// <summary>
/// A new clerk's first day with a second factor: registers, is made staff by the admin, sets up the authenticator
/// app, keeps the recovery codes, signs in with a code, sees where they are signed in and signs out everywhere.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class AccountSecurityTests(SiteFixture site)
{
    private const string ClerkPassword = "Tianshan-road-2026";

    private static string Code(string shownKey, int steps = 0) =>
        new Totp(Base32Encoding.ToBytes(shownKey.Replace(" ", "").ToUpperInvariant())).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * steps));

    [Theory]
    [InlineData("zh-CN", "clerk.zh@example.org", "请确认", "两步验证", "我在哪里登录着")]
    [InlineData("en-US", "clerk.en@example.org", "Confirm", "Two-step sign-in", "Where I am signed in")]
    public async Task A_clerk_sets_up_two_step_sign_in_signs_in_with_a_code_and_signs_out_everywhere(
        string locale, string email, string confirmSubject, string twoFactorTitle, string sessionsHeading)
    {
        // The clerk registers and confirms the address.
        var clerk = await site.NewPageAsync(locale);
        await clerk.GotoAsync("/account/register");
        await clerk.FillAsync("#Email", email);
        await clerk.FillAsync("#DisplayName", "区民政局办事员");
        await clerk.FillAsync("#Password", ClerkPassword);
        await clerk.FillAsync("#ConfirmPassword", ClerkPassword);
        await clerk.ClickAsync("#register-submit");
        await clerk.ArriveAtAsync("**/account/check-email");
        await clerk.GotoAsync(new Uri(await site.WaitForLinkAsync(email, confirmSubject)).PathAndQuery);

        // The admin makes them staff of the civil affairs bureau.
        var admin = await site.NewPageAsync(locale);
        await site.SignInAsync(admin, "admin@example.org");
        await admin.GotoAsync("/admin/users?q=" + Uri.EscapeDataString(email));
        await admin.ClickAsync($"a[href^='/admin/users/']:has-text('{email}')");
        await admin.CheckAsync("#role-Staff");
        await admin.SelectOptionAsync("#UnitId", new SelectOptionValue { Label = "区民政局" });
        await admin.ClickAsync("button[type=submit].btn-primary");
        await admin.ArriveAtAsync("**/admin/users");
        await admin.Context.CloseAsync();

        // The clerk signs in and sets up the authenticator from the account page.
        await clerk.GotoAsync("/account/login");
        await clerk.FillAsync("#Email", email);
        await clerk.FillAsync("#Password", ClerkPassword);
        await clerk.ClickAsync("#login-submit");
        await clerk.ArriveAtAsync(site.BaseUrl + "/");
        await clerk.GotoAsync("/profile");
        await clerk.ClickAsync("#two-factor-link");
        Assert.Equal(twoFactorTitle, await clerk.Locator("h1").TextContentAsync());
        Assert.True(await clerk.Locator("img[src='/profile/two-factor/qr.svg']").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        await clerk.AssertAccessibleAsync(site);
        var key = (await clerk.Locator("#shared-key").TextContentAsync())!;

        // A wrong code first: the message sits beside the field.
        await clerk.FillAsync("#Code", "000000");
        await clerk.ClickAsync("#two-factor-enable");
        Assert.False(string.IsNullOrWhiteSpace(await clerk.Locator("#Code-error").TextContentAsync()));
        await clerk.AssertAccessibleAsync(site);
        var code = Code(key);
        await clerk.FillAsync("#Code", code[..3] + " " + code[3..]);
        await clerk.ClickAsync("#two-factor-enable");
        Assert.Equal(10, await clerk.Locator("#recovery-codes li").CountAsync());
        await clerk.AssertAccessibleAsync(site);
        await clerk.ClickAsync("#codes-done");

        // Signing in again now takes the code, on a second device.
        var phone = await site.NewPageAsync(locale);
        await phone.GotoAsync("/account/login");
        await phone.FillAsync("#Email", email);
        await phone.FillAsync("#Password", ClerkPassword);
        await phone.ClickAsync("#login-submit");
        await phone.ArriveAtAsync("**/account/second-factor");
        await phone.AssertAccessibleAsync(site);
        await phone.FillAsync("#Code", Code(key, 1));
        await phone.ClickAsync("#second-factor-submit");
        await phone.ArriveAtAsync(site.BaseUrl + "/");
        await phone.GotoAsync("/staff");
        Assert.Contains("/staff", phone.Url);

        // Both devices are listed; signing out everywhere ends both.
        await clerk.GotoAsync("/profile");
        Assert.Equal(sessionsHeading, await clerk.Locator("#sessions-heading").TextContentAsync());
        Assert.Equal(2, await clerk.Locator("#session-list tbody tr").CountAsync());
        await clerk.AssertAccessibleAsync(site);
        clerk.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await clerk.ClickAsync("#sign-out-everywhere");
        await clerk.ArriveAtAsync("**/account/login");
        await clerk.AssertAccessibleAsync(site);
        await phone.GotoAsync("/staff");
        Assert.Contains("/account/login", phone.Url);

        await clerk.Context.CloseAsync();
        await phone.Context.CloseAsync();
    }
}
