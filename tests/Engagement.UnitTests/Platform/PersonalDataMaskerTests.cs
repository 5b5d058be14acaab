using Engagement.Web.Platform.Privacy;

namespace Engagement.UnitTests.Platform;

public sealed class PersonalDataMaskerTests
{
    [Theory]
    [InlineData("我的身份证号是11010519491231002X，请核实。", "我的身份证号是******************，请核实。")]
    [InlineData("身份证310105198001011235", "身份证******************")]
    public void Masks_an_id_card_number_whose_check_digit_is_right(string text, string expected)
    {
        var result = PersonalDataMasker.Mask(text);
        Assert.Equal(expected, result.Masked);
        Assert.Equal(PersonalDataKind.IdCard, Assert.Single(result.Found).Kind);
    }

    [Fact]
    public void Leaves_an_eighteen_digit_number_with_a_wrong_check_digit()
    {
        // Not an ID number (the check digit of 31010519800101123_ is 5): an order number, say.
        Assert.False(PersonalDataMasker.Mask("订单号310105198001011239").HasPersonalData);
    }

    [Theory]
    [InlineData("联系我：13812345678", "联系我：138****5678")]
    [InlineData("电话 138-1234-5678 谢谢", "电话 138-****-5678 谢谢")]
    [InlineData("+8613812345678", "+86138****5678")]
    [InlineData("手机１３８１２３４５６７８", "手机１３８****５６７８")] // full-width digits
    public void Masks_mobile_numbers_keeping_the_usual_first_three_and_last_four(string text, string expected)
    {
        var result = PersonalDataMasker.Mask(text);
        Assert.Equal(expected, result.Masked);
        Assert.Equal(PersonalDataKind.Mobile, Assert.Single(result.Found).Kind);
    }

    [Theory]
    [InlineData("居委会电话021-62345678", "居委会电话021-********")]
    [InlineData("(021)6234 5678", "(021)**** ****")]
    public void Masks_landline_numbers_with_an_area_code(string text, string expected)
    {
        Assert.Equal(expected, PersonalDataMasker.Mask(text).Masked);
    }

    [Fact]
    public void Masks_the_local_part_of_an_email_address()
    {
        var result = PersonalDataMasker.Mask("请回复到 zhang.san@example.org 谢谢");
        Assert.Equal("请回复到 *********@example.org 谢谢", result.Masked);
        Assert.Equal(PersonalDataKind.Email, Assert.Single(result.Found).Kind);
    }

    [Theory]
    [InlineData("卡号6222021001115678903", "卡号*******************")]
    [InlineData("卡号 6222 0210 0111 5678 903", "卡号 **** **** **** **** ***")]
    public void Masks_a_bank_card_number_that_passes_luhn(string text, string expected)
    {
        var result = PersonalDataMasker.Mask(text);
        Assert.Equal(expected, result.Masked);
        Assert.Equal(PersonalDataKind.BankCard, Assert.Single(result.Found).Kind);
    }

    [Fact]
    public void Leaves_a_long_number_that_fails_luhn()
    {
        Assert.False(PersonalDataMasker.Mask("项目编号6222021001115678904").HasPersonalData);
    }

    [Theory]
    [InlineData("建议把补贴标准提高到每台电梯24万元，2027年3月1日起施行。")]
    [InlineData("第四条中的三分之二和四分之三的比例建议保持不变。")]
    [InlineData("小区共有1200户，其中60岁以上老人占35%。")]
    public void Leaves_ordinary_numbers_alone(string text)
    {
        var result = PersonalDataMasker.Mask(text);
        Assert.False(result.HasPersonalData);
        Assert.Equal(text, result.Masked);
    }

    [Fact]
    public void Finds_several_kinds_in_one_text_and_keeps_the_original()
    {
        const string text = "我是王建国，手机13912345678，邮箱wang@example.com，身份证11010519491231002X。";
        var result = PersonalDataMasker.Mask(text);
        Assert.Equal(text, result.Original);
        Assert.Equal([PersonalDataKind.Mobile, PersonalDataKind.Email, PersonalDataKind.IdCard], result.Found.Select(f => f.Kind));
        Assert.DoesNotContain("12345678", result.Masked[..20].Replace("139****5678", ""));
        Assert.DoesNotContain("11010519491231002X", result.Masked);
        Assert.DoesNotContain("wang@", result.Masked);
    }

    [Fact]
    public void A_moderator_can_mask_a_name_by_hand()
    {
        Assert.Equal("我是***，住在6楼", PersonalDataMasker.MaskRange("我是王建国，住在6楼", 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => PersonalDataMasker.MaskRange("短", 0, 5));
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("12345", false)]
    public void Luhn_checks_card_numbers(string digits, bool valid)
    {
        Assert.Equal(valid, PersonalDataMasker.Luhn(digits));
    }

    [Theory]
    [InlineData("电话138\u00AD1234\u00AD5678")]      // soft hyphens
    [InlineData("电话1381\u200B2345678")]             // zero-width space
    [InlineData("电话\u2066138\u200D12345678\u2069")] // isolates and a joiner
    public void Invisible_format_characters_do_not_hide_a_mobile_number(string text)
    {
        var result = PersonalDataMasker.Mask(text);
        Assert.True(result.HasPersonalData);
        var visible = new string(result.Masked.Where(c => char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format).ToArray());
        Assert.Equal("电话138****5678", visible);
        var span = Assert.Single(result.Found);
        Assert.Equal('1', text[span.Start]);
        Assert.Equal('8', text[span.Start + span.Length - 1]);
    }

    [Fact]
    public void An_id_card_number_right_after_letters_is_still_masked()
    {
        var result = PersonalDataMasker.Mask("ID11010519491231002X号");
        Assert.Equal(PersonalDataKind.IdCard, Assert.Single(result.Found).Kind);
        Assert.DoesNotContain("1949", result.Masked);
    }
}
