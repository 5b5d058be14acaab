using Engagement.Web.Features.Meetings;

namespace Engagement.UnitTests.Meetings;

/// <summary>
/// The draw rule against fixed vectors computed independently (the Python script of docs/SELECTION.md, with
/// hashlib), so the site, the browser check and the script can never drift apart unnoticed.
/// </summary>
public sealed class RepresentativeDrawTests
{
    private const string Seed = "2026-11-20 双色球 第2026134期 03 08 15 21 27 32 + 11";

    private static readonly DrawApplicant[] Applicants =
    [
        new("K7Q2M9XA", ApplicantCategory.Resident),
        new("B3N8R4TZ", ApplicantCategory.SmallBusiness),
        new("H2W6P5LC", ApplicantCategory.Resident),
        new("Q9D4F7VE", ApplicantCategory.Enterprise),
        new("M5T3J8KS", ApplicantCategory.Expert),
        new("C8X2L6RH", ApplicantCategory.Resident),
        new("Z4V9N3GB", ApplicantCategory.SmallBusiness),
        new("E6R5K2WD", ApplicantCategory.Other),
    ];

    [Fact]
    public void ApplicationsHash_is_sha256_of_sorted_lines_whatever_the_input_order()
    {
        const string expected = "4bfce322a8d1d8a8b9880de77e21c8145c1844933946f65c5e8a70ca8ed485ea";
        Assert.Equal(expected, RepresentativeDraw.ApplicationsHash(Applicants));
        Assert.Equal(expected, RepresentativeDraw.ApplicationsHash(Applicants.Reverse()));
    }

    [Fact]
    public void Score_is_sha256_of_seed_newline_public_id()
    {
        Assert.StartsWith("1dbb7d5f", RepresentativeDraw.Score(Seed, "B3N8R4TZ"));
        Assert.Equal(64, RepresentativeDraw.Score(Seed, "B3N8R4TZ").Length);
    }

    [Fact]
    public void Draw_fills_reserved_seats_before_general_ones()
    {
        var outcome = RepresentativeDraw.Run(Seed, Applicants, 4, [new(ApplicantCategory.Resident, 2), new(ApplicantCategory.SmallBusiness, 1)]);
        Assert.Equal(["B3N8R4TZ", "H2W6P5LC", "Q9D4F7VE", "M5T3J8KS", "E6R5K2WD", "Z4V9N3GB", "K7Q2M9XA", "C8X2L6RH"], outcome.Ranking);
        Assert.Equal(
        [
            new DrawSeat("H2W6P5LC", ApplicantCategory.Resident),
            new DrawSeat("K7Q2M9XA", ApplicantCategory.Resident), // seventh in the ranking, but a reserved seat
            new DrawSeat("B3N8R4TZ", ApplicantCategory.SmallBusiness),
            new DrawSeat("Q9D4F7VE", null),
        ], outcome.Selected);
        Assert.Equal(["M5T3J8KS", "E6R5K2WD", "Z4V9N3GB", "C8X2L6RH"], outcome.Waitlist);
    }

    [Fact]
    public void Reserved_seats_a_category_cannot_fill_become_general_seats()
    {
        var outcome = RepresentativeDraw.Run(Seed, Applicants, 5, [new(ApplicantCategory.Expert, 2), new(ApplicantCategory.Resident, 1)]);
        Assert.Equal(["M5T3J8KS", "H2W6P5LC", "B3N8R4TZ", "Q9D4F7VE", "E6R5K2WD"], outcome.Selected.Select(s => s.PublicId));
        Assert.Equal([ApplicantCategory.Expert, ApplicantCategory.Resident, null, null, null], outcome.Selected.Select(s => s.ReservedFor));
        Assert.Equal(["Z4V9N3GB", "K7Q2M9XA", "C8X2L6RH"], outcome.Waitlist);
    }

    [Fact]
    public void More_seats_than_applicants_selects_everyone_and_leaves_no_waitlist()
    {
        var outcome = RepresentativeDraw.Run(Seed, Applicants[..3], 10, [new(ApplicantCategory.Resident, 5)]);
        Assert.Equal(3, outcome.Selected.Count);
        Assert.Empty(outcome.Waitlist);
    }

    [Fact]
    public void A_different_seed_gives_a_different_ranking_and_the_same_seed_the_same()
    {
        var a = RepresentativeDraw.Run(Seed, Applicants, 3, []);
        Assert.Equal(a.Ranking, RepresentativeDraw.Run(Seed, Applicants.Reverse().ToList(), 3, []).Ranking);
        Assert.NotEqual(a.Ranking, RepresentativeDraw.Run(Seed + " ", Applicants, 3, []).Ranking);
    }

    [Fact]
    public void A_reserved_seat_passes_to_the_first_waitlisted_of_its_category_else_to_the_first_waitlisted()
    {
        var waitlist = new[] { new DrawApplicant("M5T3J8KS", ApplicantCategory.Expert), new DrawApplicant("C8X2L6RH", ApplicantCategory.Resident) };
        Assert.Equal("C8X2L6RH", RepresentativeDraw.Successor(new DrawSeat("H2W6P5LC", ApplicantCategory.Resident), waitlist)!.PublicId);
        Assert.Equal("M5T3J8KS", RepresentativeDraw.Successor(new DrawSeat("B3N8R4TZ", ApplicantCategory.SmallBusiness), waitlist)!.PublicId);
        Assert.Equal("M5T3J8KS", RepresentativeDraw.Successor(new DrawSeat("Q9D4F7VE", null), waitlist)!.PublicId);
        Assert.Null(RepresentativeDraw.Successor(new DrawSeat("Q9D4F7VE", null), []));
    }

    [Theory]
    [InlineData("resident", ApplicantCategory.Resident)]
    [InlineData("small-business", ApplicantCategory.SmallBusiness)]
    [InlineData("SmallBusiness", ApplicantCategory.SmallBusiness)]
    [InlineData("expert", ApplicantCategory.Expert)]
    public void Category_codes_round_trip(string code, ApplicantCategory expected)
    {
        Assert.True(RepresentativeDraw.TryParseCategory(code, out var category));
        Assert.Equal(expected, category);
        Assert.False(RepresentativeDraw.TryParseCategory("vip", out _));
    }
}
