using System.Net;
using AngleSharp.Html.Parser;

namespace Engagement.IntegrationTests.Infrastructure;

/// <summary>What a new admin does with the link <c>create-admin</c> printed: choose a password, sign in, add a unit.</summary>
public static class FirstAdminFlow
{
    private static readonly HtmlParser Parser = new();

    private static string Token(AngleSharp.Dom.IDocument page) => page.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;

    /// <summary>
    /// Sets the password through the one-time link and signs in with it (cookies kept by <paramref name="browser"/>);
    /// where admins must sign in with a second factor, the site sends them to set it up, which they do with an
    /// authenticator app. Returns the authenticator key when one was set up.
    /// </summary>
    public static async Task<string?> SignInThroughLinkAsync(HttpClient browser, string link, string email, string password)
    {
        var reset = await Parser.ParseDocumentAsync(await browser.GetStringAsync(new Uri(link).PathAndQuery));
        var done = await browser.PostAsync("/account/reset-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(reset), ["Email"] = email, ["Code"] = reset.QuerySelector("input[name='Code']")!.GetAttribute("value")!,
            ["Password"] = password, ["ConfirmPassword"] = password,
        }));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var login = await Parser.ParseDocumentAsync(await browser.GetStringAsync("/account/login"));
        var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(login), ["Email"] = email, ["Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var admin = await browser.GetAsync("/admin");
        if (admin.StatusCode != HttpStatusCode.Redirect || admin.Headers.Location?.OriginalString.StartsWith("/profile/two-factor") != true)
        {
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
            return null;
        }
        var setUp = await Parser.ParseDocumentAsync(await browser.GetStringAsync("/profile/two-factor"));
        Assert.NotNull(setUp.QuerySelector("#two-factor-required"));
        var key = setUp.QuerySelector("#shared-key")!.TextContent;
        var enabled = await browser.PostAsync("/profile/two-factor/enable", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(setUp), ["Code"] = Authenticator.Code(key),
        }));
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Equal(10, (await Parser.ParseDocumentAsync(await enabled.Content.ReadAsStringAsync())).QuerySelectorAll("#recovery-codes li").Length);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin")).StatusCode);
        return key;
    }

    /// <summary>Adds a bureau on the units page, after checking the page lists <paramref name="imported"/>.</summary>
    public static async Task AddUnitAsync(HttpClient browser, string imported, string name, string nameEn)
    {
        var unitsPage = await Parser.ParseDocumentAsync(await browser.GetStringAsync("/admin/units"));
        Assert.Contains(imported, unitsPage.Body!.TextContent);
        var created = await browser.PostAsync("/admin/units", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(unitsPage), ["Name"] = name, ["NameEn"] = nameEn, ["Kind"] = "Bureau", ["IsActive"] = "true",
        }));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
    }
}
