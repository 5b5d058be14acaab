using System.Net;
using AngleSharp.Html.Parser;

namespace Engagement.IntegrationTests.Infrastructure;

/// <summary>What a new admin does with the link <c>create-admin</c> printed: choose a password, sign in, add a unit.</summary>
public static class FirstAdminFlow
{
    private static readonly HtmlParser Parser = new();

    private static string Token(AngleSharp.Dom.IDocument page) => page.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;

    /// <summary>Sets the password through the one-time link and signs in with it (cookies kept by <paramref name="browser"/>).</summary>
    public static async Task SignInThroughLinkAsync(HttpClient browser, string link, string email, string password)
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
