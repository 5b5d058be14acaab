using Engagement.Web.Platform.Privacy;

namespace Engagement.UnitTests.Platform;

/// <summary>A mobile number in a meeting application, as people write it.</summary>
public sealed class MobileNumberTests
{
    [Theory]
    [InlineData("13661827394")]
    [InlineData("136-6182-7394")]
    [InlineData("136 6182 7394")]
    [InlineData(" 136 6182 7394 ")]
    [InlineData("１３６６１８２７３９４")]
    [InlineData("１３６－６１８２－７３９４")]
    [InlineData("+86 136 6182 7394")]
    [InlineData("+86-13661827394")]
    [InlineData("008613661827394")]
    [InlineData("8613661827394")]
    [InlineData("(136)6182-7394")]
    [InlineData("136.6182.7394")]
    public void Is_read_as_its_eleven_digits(string written)
    {
        var number = MobileNumber.Normalise(written);
        Assert.Equal("13661827394", number);
        Assert.True(MobileNumber.IsValid(number));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1366182739")] // ten digits
    [InlineData("136618273945")] // twelve
    [InlineData("12661827394")] // no such network
    [InlineData("021-62512345")] // a landline
    [InlineData("一三六六一八二七三九四")] // said, not typed: asked again rather than guessed
    [InlineData("13661827394 或 13917463528")]
    public void Anything_else_is_refused(string written) => Assert.False(MobileNumber.IsValid(MobileNumber.Normalise(written)));
}
