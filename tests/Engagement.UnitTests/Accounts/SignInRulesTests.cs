using Engagement.Web.Features.Accounts;

namespace Engagement.UnitTests.Accounts;

public sealed class SignInRulesTests
{
    [Theory]
    [InlineData(0, null)]
    [InlineData(4, null)]
    [InlineData(5, 1)]
    [InlineData(6, 5)]
    [InlineData(7, 15)]
    [InlineData(50, 15)]
    public void Pauses_start_after_five_failures_and_grow_to_fifteen_minutes(int failures, int? minutes) =>
        Assert.Equal(minutes is null ? null : TimeSpan.FromMinutes(minutes.Value), SignInThrottles.BlockAfter(failures));

    [Fact]
    public void An_address_key_is_the_same_however_the_address_is_cased_or_padded_and_does_not_contain_it()
    {
        var key = SignInThrottles.ForAddress("Wang.Min@Example.org");
        Assert.Equal(key, SignInThrottles.ForAddress("  wang.min@example.org "));
        Assert.DoesNotContain("wang", key, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(key, SignInThrottles.ForAddress("wang.min@example.com"));
    }

    [Theory]
    [InlineData("123456", "123456")]
    [InlineData("123 456", "123456")]
    [InlineData("１２３４５６", "123456")]
    [InlineData(" 12-34-56 ", "123456")]
    [InlineData(null, "")]
    [InlineData("abc", "")]
    public void Codes_are_read_the_way_people_type_them(string? typed, string digits) => Assert.Equal(digits, SignInGate.Digits(typed));

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge · Windows")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50", "WeChat · iPhone")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Mobile Safari/537.36", "Chrome · Android")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari · macOS")]
    [InlineData("curl/8.5.0", "curl/8.5.0")]
    [InlineData("", "API")]
    public void Devices_are_named_in_words(string userAgent, string name) =>
        Assert.Equal(name, DeviceName.Of(userAgent, userAgent.Length == 0 ? SignInKind.Api : SignInKind.Browser));
}
