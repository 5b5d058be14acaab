using Engagement.Web.Features.Subscriptions;
using Engagement.Web.Platform.Text;

namespace Engagement.UnitTests.Subscriptions;

public sealed class NoticeRulesTests
{
    private static readonly IReadOnlySet<int> Streets = new HashSet<int> { 30, 31 };

    private static Happening Opened(int? unit, bool enterprise, params string[] topics) =>
        new(NoticeEvent.ConsultationOpened, TaggedKind.Decision, 1, "标题", "/decisions/1", DateTimeOffset.UnixEpoch, unit, topics, enterprise);

    private static Subscription Follows(SubscriptionKind kind, string value) => new() { Kind = kind, Value = value };

    [Theory]
    [InlineData(SubscriptionKind.Unit, "7", true)]
    [InlineData(SubscriptionKind.Unit, "8", false)]
    [InlineData(SubscriptionKind.Topic, "housing", true)]
    [InlineData(SubscriptionKind.Topic, "House", false)]
    [InlineData(SubscriptionKind.Topic, "transport", false)]
    [InlineData(SubscriptionKind.Enterprise, "", false)]
    public void A_bureaus_housing_consultation_reaches_its_unit_and_topic_followers_only(SubscriptionKind kind, string value, bool told) =>
        Assert.Equal(told, NoticeService.Matches(Follows(kind, value), Opened(7, false, "housing", "elder-care"), Streets));

    [Fact]
    public void A_street_is_followed_through_its_own_items_and_a_bureau_id_is_no_street()
    {
        Assert.True(NoticeService.Matches(Follows(SubscriptionKind.Street, "30"), Opened(30, false), Streets));
        Assert.False(NoticeService.Matches(Follows(SubscriptionKind.Street, "31"), Opened(30, false), Streets));
        Assert.False(NoticeService.Matches(Follows(SubscriptionKind.Street, "7"), Opened(7, false), Streets));
    }

    [Fact]
    public void Enterprise_followers_get_enterprise_related_items_and_nothing_without_a_unit_matches_a_unit()
    {
        Assert.True(NoticeService.Matches(Follows(SubscriptionKind.Enterprise, ""), Opened(7, true), Streets));
        Assert.False(NoticeService.Matches(Follows(SubscriptionKind.Unit, "7"), Opened(null, true), Streets));
    }

    [Theory]
    // Monday 08:00 in Shanghai is 00:00 UTC. Early on Monday the week's digest time is still ahead (not yet sent);
    // Sunday night belongs to the week before.
    [InlineData("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z")]
    [InlineData("2026-11-29T23:59:00Z", "2026-11-30T00:00:00Z")]
    [InlineData("2026-11-29T15:59:00Z", "2026-11-23T00:00:00Z")]
    [InlineData("2026-12-02T05:00:00Z", "2026-11-30T00:00:00Z")]
    [InlineData("2026-12-06T15:59:00Z", "2026-11-30T00:00:00Z")]
    [InlineData("2026-12-06T16:00:00Z", "2026-12-07T00:00:00Z")]
    public void The_digest_goes_on_monday_at_eight_in_shanghai(string now, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), NoticeService.DigestTime(DateTimeOffset.Parse(now)));

    [Theory]
    [InlineData("养老", 2)]
    [InlineData("👍🏽好", 2)]
    [InlineData("e\u0301", 1)]
    [InlineData("👨‍👩‍👧", 1)]
    [InlineData("", 0)]
    public void Lengths_are_counted_as_people_see_characters(string text, int length) => Assert.Equal(length, TextLength.Of(text));

    [Fact]
    public void Text_for_a_feed_keeps_whole_characters_and_drops_what_xml_cannot_carry()
    {
        Assert.Equal("分段\t一\n二𠮷🌳", TextLength.ForXml("分\v段\t一\n二\u0001𠮷🌳"));
        Assert.Equal("半", TextLength.ForXml("半\ud83c"));
        Assert.Equal("", TextLength.ForXml(null));
    }

    [Fact]
    public void Topic_codes_are_lower_case_words_joined_by_hyphens() =>
        Assert.Equal([true, true, false, false, false, false], new[] { "elder-care", "b2", "Elder", "a", "养老", "x y" }.Select(TopicList.IsCode));
}
